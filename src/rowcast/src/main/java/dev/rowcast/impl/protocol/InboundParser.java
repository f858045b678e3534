package dev.rowcast.impl.protocol;

import java.io.StringReader;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.JsonValue.ValueType;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;

import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.model.ScopeModel;
import dev.rowcast.spi.Position;
import dev.rowcast.spi.StreamId;

/**
 * Turns one client text frame into an {@link Inbound} message, or into the error that explains why not. Only the
 * shape is checked here; whether the caller may subscribe is the socket's business. A subscribe or unsubscribe is
 * read in two steps: {@link #parse} names the channel ({@link Inbound.ForChannel}), and {@link #scope} checks the
 * scope once the socket has checked the caller's roles. docs/protocol.md ("Client to server") is the specification.
 */
public final class InboundParser {

    /** Made once: {@code Json.createParser} looks the JSON provider up on every call, a class-path scan per frame. */
    private static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of());

    private final Function<String, Optional<ReactiveEntityModel>> channels;

    /** @param channels finds a channel's model by name */
    public InboundParser(Function<String, Optional<ReactiveEntityModel>> channels) {
        this.channels = channels;
    }

    public Inbound parse(String text) {
        JsonValue parsed;
        boolean trailing;
        try (JsonParser parser = PARSERS.createParser(new StringReader(text))) {
            parser.next();
            parsed = parser.getValue();
            trailing = hasMore(parser);
        } catch (RuntimeException | StackOverflowError e) {
            // StackOverflowError: hostile nesting on a parser without a depth limit; the frame size bounds the depth
            return new Inbound.Refused(null, ErrorCode.INVALID_JSON, "The frame is not valid JSON.");
        }
        if (trailing) {
            // a reader stops after the first value; what follows it must not be ignored
            return new Inbound.Refused(null, ErrorCode.INVALID_MESSAGE,
                    "A frame must hold one JSON object and nothing after it.");
        }
        if (parsed.getValueType() != ValueType.OBJECT) {
            return new Inbound.Refused(null, ErrorCode.INVALID_MESSAGE, "A frame must be a JSON object.");
        }
        JsonObject message = parsed.asJsonObject();
        JsonValue id = message.get("id");
        if (id != null && id.getValueType() != ValueType.STRING && id.getValueType() != ValueType.NUMBER) {
            return new Inbound.Refused(null, ErrorCode.INVALID_MESSAGE, "id must be a string or a number.");
        }
        Optional<String> type = string(message, "type");
        if (type.isEmpty()) {
            return new Inbound.Refused(id, ErrorCode.INVALID_MESSAGE, "type is required and must be a string.");
        }
        return switch (type.get()) {
            case "subscribe" -> subscription(message, Inbound.Action.SUBSCRIBE, id);
            case "unsubscribe" -> subscription(message, Inbound.Action.UNSUBSCRIBE, id);
            case "join" -> subscription(message, Inbound.Action.JOIN, id);
            case "leave" -> subscription(message, Inbound.Action.LEAVE, id);
            case "broadcast" -> subscription(message, Inbound.Action.BROADCAST, id);
            case "propose" -> propose(message, id);
            case "ping" -> new Inbound.Ping(id);
            default -> new Inbound.Refused(id, ErrorCode.UNKNOWN_MESSAGE_TYPE, "Unknown type; expected subscribe, "
                    + "unsubscribe, join, leave, broadcast, propose or ping.");
        };
    }

    /** Names of broadcast events and proposals: short, printable, never echoed unchecked. */
    private static boolean isName(String name) {
        return name.length() >= 1 && name.length() <= MAX_NAME && name.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    static final int MAX_NAME = 64;

    private static Inbound propose(JsonObject message, JsonValue id) {
        if (id == null) {
            return new Inbound.Refused(null, ErrorCode.INVALID_MESSAGE, "propose needs an id, to match its result.");
        }
        Optional<String> name = string(message, "name");
        if (name.isEmpty() || !isName(name.get())) {
            return new Inbound.Refused(id, ErrorCode.INVALID_MESSAGE, "name is required: 1 to " + MAX_NAME
                    + " printable ASCII characters, no spaces.");
        }
        JsonValue payload = message.getOrDefault("payload", JsonValue.NULL);
        return new Inbound.Propose(id, name.get(), payload);
    }

    private Inbound subscription(JsonObject message, Inbound.Action action, JsonValue id) {
        boolean subscribe = action == Inbound.Action.SUBSCRIBE;
        Optional<String> channel = string(message, "channel");
        if (channel.isEmpty()) {
            return Inbound.Refused.of(action, id, ErrorCode.INVALID_MESSAGE,
                    "channel is required and must be a string.");
        }
        JsonValue scope = message.get("scope");
        if (scope == null || scope.getValueType() != ValueType.OBJECT) {
            return Inbound.Refused.of(action, id, ErrorCode.INVALID_MESSAGE,
                    "scope is required and must be an object {\"col\":...,\"value\":...}.");
        }
        Optional<String> column = string(scope.asJsonObject(), "col");
        if (column.isEmpty() || !scope.asJsonObject().containsKey("value")) {
            return Inbound.Refused.of(action, id, ErrorCode.INVALID_MESSAGE,
                    "scope.col (a string) and scope.value are required.");
        }
        Position from = null;
        if (subscribe && message.containsKey("from")) {
            Optional<Position> position = position(message.get("from"));
            if (position.isEmpty()) {
                return Inbound.Refused.of(action, id, ErrorCode.INVALID_MESSAGE,
                        "from must be {\"epoch\": string, \"seq\": integer >= 0}.");
            }
            from = position.get();
        }
        String event = null;
        JsonValue data = null;
        if (action == Inbound.Action.BROADCAST) {
            Optional<String> named = string(message, "event");
            if (named.isEmpty() || !isName(named.get())) {
                return Inbound.Refused.of(action, id, ErrorCode.INVALID_MESSAGE, "event is required: 1 to "
                        + MAX_NAME + " printable ASCII characters, no spaces.");
            }
            event = named.get();
            data = message.getOrDefault("data", JsonValue.NULL);
        }
        Optional<ReactiveEntityModel> model = channels.apply(channel.get());
        if (model.isEmpty()) {
            return Inbound.Refused.of(action, id, ErrorCode.UNKNOWN_CHANNEL,
                    "No channel '" + clip(channel.get()) + "'.");
        }
        return new Inbound.ForChannel(id, action, model.get(), column.get(), scope.asJsonObject().get("value"),
                from, event, data);
    }

    /**
     * The second step, once the caller may use the channel: checks the scope and converts its value. Kept apart so
     * that a caller without the channel's roles learns nothing of its scopes.
     */
    public Inbound scope(Inbound.ForChannel request) {
        ReactiveEntityModel model = request.model();
        String channel = model.channel();
        Optional<ScopeModel> scopeModel = model.scopeByColumn(request.column());
        if (scopeModel.isEmpty()) {
            return Inbound.Refused.of(request.action(), request.id(), ErrorCode.INVALID_SCOPE, "Channel '" + channel
                    + "' has no scope '" + clip(request.column()) + "'; its scopes are: " + model.scopeColumns() + ".");
        }
        Object value;
        try {
            value = ScopeValueKind.convert(scopeModel.get(), request.value());
        } catch (IllegalArgumentException e) {
            return Inbound.Refused.of(request.action(), request.id(), ErrorCode.INVALID_SCOPE, "Bad value for scope '"
                    + request.column() + "': " + e.getMessage() + ".");
        }
        StreamId stream = new StreamId(channel, request.column(), value);
        return switch (request.action()) {
            case SUBSCRIBE -> new Inbound.Subscribe(request.id(), model, stream, request.from());
            case UNSUBSCRIBE -> new Inbound.Unsubscribe(request.id(), stream);
            case JOIN -> new Inbound.Join(request.id(), stream);
            case LEAVE -> new Inbound.Leave(request.id(), stream);
            case BROADCAST -> new Inbound.Broadcast(request.id(), stream, request.event(), request.data());
        };
    }

    /** An integral {@code seq} from 0 to {@link Long#MAX_VALUE}, compared exactly: a double would round 2^63 down. */
    private static Optional<Position> position(JsonValue value) {
        if (!(value instanceof JsonObject object) || !(object.get("epoch") instanceof JsonString epoch)
                || !(object.get("seq") instanceof JsonNumber seq) || epoch.getString().length() > 128) {
            return Optional.empty();
        }
        long exact;
        try {
            // cheap for any exponent: more than 19 integer digits, or a fraction, throws before any expansion
            exact = seq.bigDecimalValue().longValueExact();
        } catch (ArithmeticException e) {
            return Optional.empty();
        }
        return exact < 0 ? Optional.empty() : Optional.of(new Position(epoch.getString(), exact));
    }

    /** Whether anything but whitespace follows the value: another token, or text that is not one. */
    private static boolean hasMore(JsonParser parser) {
        try {
            return parser.hasNext();
        } catch (RuntimeException e) {
            return true;
        }
    }

    private static Optional<String> string(JsonObject object, String name) {
        JsonValue value = object.get(name);
        return value instanceof JsonString s ? Optional.of(s.getString()) : Optional.empty();
    }

    /**
     * Client text echoed in a message is cut short, so a hostile client cannot make us amplify it. The cut never
     * falls between the two halves of a surrogate pair.
     */
    static String clip(String text) {
        if (text.length() <= 64) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(63)) && Character.isLowSurrogate(text.charAt(64)) ? 63 : 64;
        return text.substring(0, end) + "...";
    }
}
