package dev.rowcast.chat.it.fuzz;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.rowcast.chat.it.fuzz.Expect.Lane;
import dev.rowcast.chat.it.fuzz.Expect.Outcome;

/**
 * What the server must answer to a client message, from docs/protocol.md ("Client to server", "Error codes") and
 * the chat's rules (members of a conversation and admins may follow it). Where the spec leaves a detail to the
 * parser (how deep, how long a number, when a number is an integer), this follows what the server's parser does,
 * so the fuzzer checks Rowcast and not the parser.
 */
final class Oracle {

    static final String CHANNEL = "message";
    static final String COLUMN = "conversation_id";

    /** What the oracle knows of one socket: the streams it follows, as the server must see them. */
    static final class SocketModel {
        final String user;
        final Set<Long> following = new HashSet<>();

        SocketModel(String user) {
            this.user = user;
        }

        void apply(Outcome outcome) {
            if (outcome.effect() > 0) {
                following.add(outcome.stream());
            } else if (outcome.effect() < 0) {
                following.remove(outcome.stream());
            }
        }
    }

    private final Map<Long, Set<String>> members;
    private final int maxSubscriptions;

    /** @param members each conversation's members; admins may follow any conversation, existing or not */
    Oracle(Map<Long, Set<String>> members, int maxSubscriptions) {
        this.members = members;
        this.maxSubscriptions = maxSubscriptions;
    }

    /**
     * The expected reply to one text frame whose JSON is {@code message}. Certain outcomes update the model at
     * once, since the server handles a socket's frames in order; uncertain ones when their reply comes.
     */
    Expect expect(J message, SocketModel socket) {
        if (!J.parses(message)) {
            return Expect.error("invalid_json", null);
        }
        if (!(message instanceof J.Obj)) {
            return Expect.error("invalid_message", null);
        }
        J id = J.get(message, "id");
        if (id != null && !(id instanceof J.Str) && !(id instanceof J.Num)) {
            return Expect.error("invalid_message", null);
        }
        if (!(J.get(message, "type") instanceof J.Str type)) {
            return Expect.error("invalid_message", id);
        }
        return switch (type.value()) {
            case "ping" -> Expect.sync("pong", null, id);
            case "subscribe" -> subscription(message, true, id, socket);
            case "unsubscribe" -> subscription(message, false, id, socket);
            default -> Expect.error("unknown_message_type", id);
        };
    }

    private Expect subscription(J message, boolean subscribe, J id, SocketModel socket) {
        if (!(J.get(message, "channel") instanceof J.Str channel)) {
            return Expect.error("invalid_message", id);
        }
        if (!(J.get(message, "scope") instanceof J.Obj scope)) {
            return Expect.error("invalid_message", id);
        }
        if (!(J.get(scope, "col") instanceof J.Str column) || !J.has(scope, "value")) {
            return Expect.error("invalid_message", id);
        }
        FromVerdict from = subscribe && J.has(message, "from") ? from(J.get(message, "from")) : FromVerdict.VALID;
        if (from == FromVerdict.INVALID) {
            return Expect.error("invalid_message", id);
        }
        if (!channel.value().equals(CHANNEL)) {
            return Expect.error("unknown_channel", id);
        }
        if (!column.value().equals(COLUMN)) {
            return Expect.error("invalid_scope", id);
        }
        Long value = scopeValue(J.get(scope, "value"));
        if (value == null) {
            return Expect.error("invalid_scope", id);
        }
        if (from == FromVerdict.OVERFLOW) {
            // beyond a long: refusing it (invalid_message) and resuming from "ahead" (replay_unavailable) both fit
            return Expect.error("invalid_message", id).or(outcome(subscribe, id, value, socket, false));
        }
        return outcome(subscribe, id, value, socket, true);
    }

    private Expect outcome(boolean subscribe, J id, long value, SocketModel socket, boolean apply) {
        Outcome outcome;
        if (!subscribe) {
            outcome = new Outcome(Lane.SUB, "unsubscribed", null, id, value, -1);
        } else if (!mayFollow(socket.user, value)) {
            outcome = new Outcome(Lane.SUB, "error", "forbidden", id, null, 0);
        } else if (socket.following.contains(value)) {
            outcome = new Outcome(Lane.SUB, "subscribed", null, id, value, 0);
        } else if (socket.following.size() >= maxSubscriptions) {
            outcome = new Outcome(Lane.SUB, "error", "too_many_subscriptions", id, null, 0);
        } else {
            outcome = new Outcome(Lane.SUB, "subscribed", null, id, value, +1);
        }
        if (apply) {
            socket.apply(outcome);
        }
        return new Expect(List.of(outcome), !apply);
    }

    boolean mayFollow(String user, long conversation) {
        return user.equals("admin") || members.getOrDefault(conversation, Set.of()).contains(user);
    }

    enum FromVerdict { VALID, INVALID, OVERFLOW }

    /** {@code from}: {"epoch": string of at most 128 chars, "seq": integer >= 0}. */
    static FromVerdict from(J from) {
        if (!(J.get(from, "epoch") instanceof J.Str epoch) || !(J.get(from, "seq") instanceof J.Num seq)
                || epoch.value().length() > 128) {
            return FromVerdict.INVALID;
        }
        BigDecimal value = seq.decimal();
        // the parser calls a number integral when it has no fraction digits and no exponent left (scale 0)
        if (value.scale() != 0 || value.signum() < 0) {
            return FromVerdict.INVALID;
        }
        if (value.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
            return FromVerdict.VALID;
        }
        return isSeqOverflow(value) ? FromVerdict.OVERFLOW : FromVerdict.INVALID;
    }

    /** Beyond a long, yet equal to Long.MAX_VALUE as a double: where a check by double lets it through. */
    static boolean isSeqOverflow(BigDecimal seq) {
        return seq.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 && seq.doubleValue() <= (double) Long.MAX_VALUE;
    }

    /**
     * A conversation id scope value, or null when it cannot be one. docs/protocol.md: 42, "42" and 42.0 are one
     * stream; "abc", 1.5 and null are invalid_scope. Strings are read as decimals, as the server does.
     */
    static Long scopeValue(J value) {
        BigDecimal number;
        if (value instanceof J.Num n) {
            number = n.decimal();
        } else if (value instanceof J.Str s && s.value().length() <= 40) {
            try {
                number = new BigDecimal(s.value().strip());
            } catch (NumberFormatException e) {
                return null;
            }
        } else {
            return null;
        }
        try {
            return number.longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }
}
