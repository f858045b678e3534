package dev.rowcast.chat.it.fuzz;

import java.util.List;
import java.util.stream.Collectors;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The JSON replies the server may give to one client frame. Replies come in lanes, each in the order of the frames
 * that caused them: {@link Lane#SYNC} for what the socket's own thread answers at once (pongs, refusals of frames
 * that are not requests), {@link Lane#SUB} for the replies to subscribe, unsubscribe and propose messages, refusals
 * included, which docs/protocol.md promises in the order the messages were sent, and {@link Lane#TALK} for presence
 * and broadcasts, answered by another thread. A frame whose reply may come in either lane, or that depends on the
 * replies before it having come (a join needs its subscribed), is sent alone ({@link #barrier()}).
 *
 * @param alone sent alone even when no reply is due (a broadcast: whether it is refused depends on what came before)
 */
record Expect(List<Outcome> outcomes, boolean deferredEffects, boolean alone) {

    enum Lane { SYNC, SUB, TALK }

    Expect(List<Outcome> outcomes, boolean deferredEffects) {
        this(outcomes, deferredEffects, false);
    }

    /**
     * One acceptable reply. {@code id}: the id it must echo, or null when it must have none. {@code stream}: the
     * stream a subscribed/unsubscribed/presence/left reply must name. {@code effect}: +1 the socket now follows the
     * stream, -1 it no longer does.
     */
    record Outcome(Lane lane, String type, String code, J id, Oracle.Stream stream, int effect) {

        boolean accepts(JsonObject reply) {
            if (!type.equals(reply.getString("type", null))) {
                return false;
            }
            if (code != null && !code.equals(reply.getString("code", null))) {
                return false;
            }
            if (!sameId(reply.get("id"))) {
                return false;
            }
            if (stream != null) {
                JsonObject scope = reply.get("scope") instanceof JsonObject s ? s : null;
                return stream.channel().equals(reply.getString("channel", null)) && scope != null
                        && stream.column().equals(scope.getString("col", null))
                        && scope.get("value") instanceof JsonNumber n && n.isIntegral()
                        && n.bigDecimalValue().compareTo(java.math.BigDecimal.valueOf(stream.value())) == 0;
            }
            return true;
        }

        /** Whether a reply could fit both: same type, code and id; then the two cannot be told apart. */
        boolean alike(Outcome other) {
            return type.equals(other.type) && java.util.Objects.equals(code, other.code) && sameId(id, other.id);
        }

        private static boolean sameId(J a, J b) {
            if (a == null || b == null) {
                return a == b;
            }
            if (a instanceof J.Num x && b instanceof J.Num y) {
                return x.decimal().compareTo(y.decimal()) == 0;
            }
            return a.equals(b);
        }

        private boolean sameId(JsonValue echoed) {
            if (id == null) {
                return echoed == null;
            }
            if (id instanceof J.Str s) {
                return echoed instanceof JsonString e && e.getString().equals(s.value());
            }
            return echoed instanceof JsonNumber e && e.bigDecimalValue().compareTo(((J.Num) id).decimal()) == 0;
        }

        @Override
        public String toString() {
            return type + (code == null ? "" : "/" + code) + (stream == null ? "" : "(" + stream + ")")
                    + (id == null ? "" : " id=" + Fuzz.clip(id instanceof J.Num n ? n.token()
                            : J.write(id, new java.util.Random(0), false), 40));
        }
    }

    static final Expect NOTHING = new Expect(List.of(), false);
    static final Expect ALONE_NOTHING = new Expect(List.of(), false, true);

    static Expect sync(String type, String code, J id) {
        return new Expect(List.of(new Outcome(Lane.SYNC, type, code, id, null, 0)), false);
    }

    static Expect error(String code, J id) {
        return sync("error", code, id);
    }

    /** An error in the given lane. */
    static Expect in(Lane lane, String code, J id) {
        return new Expect(List.of(new Outcome(lane, "error", code, id, null, 0)), false);
    }

    /** A reply of the presence and broadcast thread: sent alone, after every earlier reply came. */
    static Expect talk(Outcome outcome) {
        return new Expect(List.of(outcome), false, true);
    }

    boolean expectsReply() {
        return !outcomes.isEmpty();
    }

    /**
     * Sent alone: its reply may come in either lane (nothing else may be outstanding, or the lanes could not be told
     * apart), or what is due depends on the replies before it.
     */
    boolean barrier() {
        return alone || outcomes.stream().map(Outcome::lane).distinct().count() > 1;
    }

    Lane lane() {
        return outcomes.get(0).lane();
    }

    Outcome match(JsonObject reply) {
        return outcomes.stream().filter(o -> o.accepts(reply)).findFirst().orElse(null);
    }

    /** This expectation, or the other one as well (both possible outcomes); effects then wait for the reply. */
    Expect or(Expect other) {
        List<Outcome> both = new java.util.ArrayList<>(outcomes);
        both.addAll(other.outcomes);
        return new Expect(both, true, alone || other.alone);
    }

    @Override
    public String toString() {
        return outcomes.isEmpty() ? "no reply"
                : outcomes.stream().map(Outcome::toString).collect(Collectors.joining(" or "));
    }
}
