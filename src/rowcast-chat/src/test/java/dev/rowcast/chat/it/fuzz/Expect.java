package dev.rowcast.chat.it.fuzz;

import java.util.List;
import java.util.stream.Collectors;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The JSON replies the server may give to one client frame. Replies come in two lanes, each in the order of the
 * frames that caused them: {@link Lane#SYNC} for what the socket's own thread answers at once (pongs, refusals of
 * bad frames), {@link Lane#SUB} for the outcomes of subscribe and unsubscribe messages the parser accepted, which
 * docs/protocol.md promises in the order the messages were sent. A frame whose reply may come in either lane is
 * sent alone ({@link #barrier()}).
 */
record Expect(List<Outcome> outcomes, boolean deferredEffects) {

    enum Lane { SYNC, SUB }

    /**
     * One acceptable reply. {@code id}: the id it must echo, or null when it must have none. {@code stream}: the
     * scope value a subscribed/unsubscribed reply must name. {@code effect}: +1 the socket now follows the stream,
     * -1 it no longer does.
     */
    record Outcome(Lane lane, String type, String code, J id, Long stream, int effect) {

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
                return "message".equals(reply.getString("channel", null)) && scope != null
                        && "conversation_id".equals(scope.getString("col", null))
                        && scope.get("value") instanceof JsonNumber n && n.isIntegral()
                        && n.bigDecimalValue().compareTo(java.math.BigDecimal.valueOf(stream)) == 0;
            }
            return true;
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

    static Expect sync(String type, String code, J id) {
        return new Expect(List.of(new Outcome(Lane.SYNC, type, code, id, null, 0)), false);
    }

    static Expect error(String code, J id) {
        return sync("error", code, id);
    }

    boolean expectsReply() {
        return !outcomes.isEmpty();
    }

    /** Its reply may come in either lane: nothing else may be outstanding, or the lanes could not be told apart. */
    boolean barrier() {
        return outcomes.stream().map(Outcome::lane).distinct().count() > 1;
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
        return new Expect(both, true);
    }

    @Override
    public String toString() {
        return outcomes.isEmpty() ? "no reply"
                : outcomes.stream().map(Outcome::toString).collect(Collectors.joining(" or "));
    }
}
