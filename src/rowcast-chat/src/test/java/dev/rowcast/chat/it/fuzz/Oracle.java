package dev.rowcast.chat.it.fuzz;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.rowcast.chat.it.fuzz.Expect.Lane;
import dev.rowcast.chat.it.fuzz.Expect.Outcome;

/**
 * What the server must answer to a client message, from docs/protocol.md ("Client to server", "Talking back",
 * "Error codes") and the chat's rules (members of a conversation and admins may follow it; {@code admin_note} is for
 * role admin only). Where the spec leaves a detail to the parser (how deep, how long a number), this follows what the
 * server's parser does, so the fuzzer checks Rowcast and not the parser.
 */
final class Oracle {

    static final String CHANNEL = "message";
    static final String COLUMN = "conversation_id";
    /** A channel with {@code rolesAllowed = "admin"}: roles are checked before its scope. */
    static final String ADMIN_CHANNEL = "admin_note";
    static final String ADMIN_COLUMN = "topic";
    /** The names of broadcast events and proposals: 1 to 64 printable ASCII characters, no spaces. */
    static final int MAX_NAME = 64;
    static final int BROADCAST_MAX_CHARS = 2_048;

    /** One stream: a channel, a scope column and its (integral) value. */
    record Stream(String channel, String column, long value) {

        @Override
        public String toString() {
            return (channel.equals(CHANNEL) ? "" : channel + ":") + value;
        }
    }

    /** What the oracle knows of one socket: the streams it follows, as the server must see them. */
    static final class SocketModel {
        final String user;
        final Set<Stream> following = new HashSet<>();

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

    private enum Kind { SUBSCRIBE, UNSUBSCRIBE, JOIN, LEAVE, BROADCAST }

    private final Map<Long, Set<String>> members;
    private final int maxSubscriptions;

    /** @param members each conversation's members; admins may follow any conversation, existing or not */
    Oracle(Map<Long, Set<String>> members, int maxSubscriptions) {
        this.members = members;
        this.maxSubscriptions = maxSubscriptions;
    }

    /**
     * The expected reply to one text frame whose JSON is {@code message}. Certain outcomes update the model at
     * once, since the server handles a socket's requests in order; uncertain ones when their reply comes.
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
            case "subscribe" -> stream(message, Kind.SUBSCRIBE, id, socket);
            case "unsubscribe" -> stream(message, Kind.UNSUBSCRIBE, id, socket);
            case "join" -> stream(message, Kind.JOIN, id, socket);
            case "leave" -> stream(message, Kind.LEAVE, id, socket);
            case "broadcast" -> stream(message, Kind.BROADCAST, id, socket);
            case "propose" -> propose(message, id);
            default -> Expect.error("unknown_message_type", id);
        };
    }

    /**
     * A message that names a stream, checked in the server's order: shape, cursor, event, channel, roles, scope.
     * docs/protocol.md: replies to subscribe and unsubscribe, refusals included, come in the order of the requests
     * (the SUB lane); presence and broadcasts are answered by another thread (the TALK lane), or at once.
     */
    private Expect stream(J message, Kind kind, J id, SocketModel socket) {
        boolean ordered = kind == Kind.SUBSCRIBE || kind == Kind.UNSUBSCRIBE;
        Lane refusals = ordered ? Lane.SUB : Lane.SYNC;
        if (!(J.get(message, "channel") instanceof J.Str channel)) {
            return Expect.in(refusals, "invalid_message", id);
        }
        if (!(J.get(message, "scope") instanceof J.Obj scope)) {
            return Expect.in(refusals, "invalid_message", id);
        }
        if (!(J.get(scope, "col") instanceof J.Str column) || !J.has(scope, "value")) {
            return Expect.in(refusals, "invalid_message", id);
        }
        if (kind == Kind.SUBSCRIBE && J.has(message, "from") && !validFrom(J.get(message, "from"))) {
            return Expect.in(refusals, "invalid_message", id);
        }
        if (kind == Kind.BROADCAST && !(J.get(message, "event") instanceof J.Str event && isName(event.value()))) {
            return Expect.in(refusals, "invalid_message", id);
        }
        boolean admin = channel.value().equals(ADMIN_CHANNEL);
        if (!channel.value().equals(CHANNEL) && !admin) {
            return Expect.in(refusals, "unknown_channel", id);
        }
        if (admin && !socket.user.equals("admin")) {
            return Expect.in(refusals, "forbidden", id); // before the scope: its errors list the scopes
        }
        if (!column.value().equals(admin ? ADMIN_COLUMN : COLUMN)) {
            return Expect.in(refusals, "invalid_scope", id);
        }
        Long value = scopeValue(J.get(scope, "value"));
        if (value == null) {
            return Expect.in(refusals, "invalid_scope", id);
        }
        Stream stream = new Stream(channel.value(), column.value(), value);
        return switch (kind) {
            case SUBSCRIBE, UNSUBSCRIBE -> outcome(kind == Kind.SUBSCRIBE, id, stream, socket);
            case JOIN -> Expect.talk(socket.following.contains(stream)
                    ? new Outcome(Lane.TALK, "presence", null, id, stream, 0)
                    : new Outcome(Lane.TALK, "error", "not_subscribed", id, null, 0));
            case LEAVE -> Expect.talk(new Outcome(Lane.TALK, "left", null, id, stream, 0));
            case BROADCAST -> broadcast(message, id, stream, socket);
        };
    }

    /** A broadcast has no reply unless it is refused: too large (at once), or from a socket not following. */
    private static Expect broadcast(J message, J id, Stream stream, SocketModel socket) {
        J data = J.has(message, "data") ? J.get(message, "data") : J.NULL;
        if (J.length(data) > BROADCAST_MAX_CHARS) {
            return Expect.error("too_large", id);
        }
        if (!socket.following.contains(stream)) {
            return Expect.talk(new Outcome(Lane.TALK, "error", "not_subscribed", id, null, 0));
        }
        return Expect.ALONE_NOTHING;
    }

    /**
     * A proposal: {@code id} and {@code name} are checked at once; the handler is looked up in the socket's turn.
     * The fuzzer names no handler that exists, so nothing is written.
     */
    private static Expect propose(J message, J id) {
        if (id == null) {
            return Expect.error("invalid_message", null);
        }
        if (!(J.get(message, "name") instanceof J.Str name) || !isName(name.value())) {
            return Expect.error("invalid_message", id);
        }
        return Expect.in(Lane.SUB, "unknown_proposal", id);
    }

    static boolean isName(String name) {
        return name.length() >= 1 && name.length() <= MAX_NAME && name.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    private Expect outcome(boolean subscribe, J id, Stream stream, SocketModel socket) {
        Outcome outcome;
        if (!subscribe) {
            outcome = new Outcome(Lane.SUB, "unsubscribed", null, id, stream, -1);
        } else if (!mayFollow(socket.user, stream)) {
            outcome = new Outcome(Lane.SUB, "error", "forbidden", id, null, 0);
        } else if (socket.following.contains(stream)) {
            outcome = new Outcome(Lane.SUB, "subscribed", null, id, stream, 0);
        } else if (socket.following.size() >= maxSubscriptions) {
            outcome = new Outcome(Lane.SUB, "error", "too_many_subscriptions", id, null, 0);
        } else {
            outcome = new Outcome(Lane.SUB, "subscribed", null, id, stream, +1);
        }
        socket.apply(outcome);
        return new Expect(List.of(outcome), false);
    }

    boolean mayFollow(String user, Stream stream) {
        return user.equals("admin")
                || stream.channel().equals(CHANNEL) && members.getOrDefault(stream.value(), Set.of()).contains(user);
    }

    /**
     * {@code from}: {"epoch": string of at most 128 chars, "seq": an integer from 0 to 2^63-1}, compared exactly
     * (docs/protocol.md, "Numbers"): {@code 5.0} and {@code 5e0} are 5, {@code -0} is 0; {@code 1.5}, {@code -1} and
     * anything past 2^63-1 are refused.
     */
    static boolean validFrom(J from) {
        if (!(J.get(from, "epoch") instanceof J.Str epoch) || !(J.get(from, "seq") instanceof J.Num seq)
                || epoch.value().length() > 128) {
            return false;
        }
        try {
            return seq.decimal().longValueExact() >= 0;
        } catch (ArithmeticException e) {
            return false;
        }
    }

    /**
     * A scope value (a conversation id or a topic), or null when it cannot be one. docs/protocol.md: 42, "42" and
     * 42.0 are one stream; "abc", 1.5 and null are invalid_scope. Strings are read as decimals, as the server does.
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
