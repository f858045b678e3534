package dev.rowcast.impl.protocol;

import java.io.StringReader;
import java.util.Optional;
import java.util.function.Function;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.JsonValue.ValueType;

import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.model.ScopeModel;
import dev.rowcast.spi.Position;
import dev.rowcast.spi.StreamId;

/**
 * Turns one client text frame into an {@link Inbound} message, or into the error that explains why not. Only the
 * shape is checked here; whether the caller may subscribe is the socket's business. docs/protocol.md ("Client to
 * server") is the specification.
 */
public final class InboundParser {

    private final Function<String, Optional<ReactiveEntityModel>> channels;

    /** @param channels finds a channel's model by name */
    public InboundParser(Function<String, Optional<ReactiveEntityModel>> channels) {
        this.channels = channels;
    }

    public Inbound parse(String text) {
        JsonValue parsed;
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            parsed = reader.readValue();
        } catch (RuntimeException | StackOverflowError e) {
            // StackOverflowError: hostile nesting on a parser without a depth limit; the frame size bounds the depth
            return new Inbound.Refused(null, ErrorCode.INVALID_JSON, "The frame is not valid JSON.");
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
            case "subscribe" -> subscription(message, true, id);
            case "unsubscribe" -> subscription(message, false, id);
            case "ping" -> new Inbound.Ping(id);
            default -> new Inbound.Refused(id, ErrorCode.UNKNOWN_MESSAGE_TYPE,
                    "Unknown type; expected subscribe, unsubscribe or ping.");
        };
    }

    private Inbound subscription(JsonObject message, boolean subscribe, JsonValue id) {
        Optional<String> channel = string(message, "channel");
        if (channel.isEmpty()) {
            return new Inbound.Refused(id, ErrorCode.INVALID_MESSAGE, "channel is required and must be a string.");
        }
        JsonValue scope = message.get("scope");
        if (scope == null || scope.getValueType() != ValueType.OBJECT) {
            return new Inbound.Refused(id, ErrorCode.INVALID_MESSAGE,
                    "scope is required and must be an object {\"col\":...,\"value\":...}.");
        }
        Optional<String> column = string(scope.asJsonObject(), "col");
        if (column.isEmpty() || !scope.asJsonObject().containsKey("value")) {
            return new Inbound.Refused(id, ErrorCode.INVALID_MESSAGE,
                    "scope.col (a string) and scope.value are required.");
        }
        Position from = null;
        if (subscribe && message.containsKey("from")) {
            Optional<Position> position = position(message.get("from"));
            if (position.isEmpty()) {
                return new Inbound.Refused(id, ErrorCode.INVALID_MESSAGE,
                        "from must be {\"epoch\": string, \"seq\": integer >= 0}.");
            }
            from = position.get();
        }
        Optional<ReactiveEntityModel> model = channels.apply(channel.get());
        if (model.isEmpty()) {
            return new Inbound.Refused(id, ErrorCode.UNKNOWN_CHANNEL, "No channel '" + clip(channel.get()) + "'.");
        }
        Optional<ScopeModel> scopeModel = model.get().scopeByColumn(column.get());
        if (scopeModel.isEmpty()) {
            return new Inbound.Refused(id, ErrorCode.INVALID_SCOPE, "Channel '" + channel.get() + "' has no scope '"
                    + clip(column.get()) + "'; its scopes are: " + model.get().scopeColumns() + ".");
        }
        Object value;
        try {
            value = ScopeValueKind.convert(scopeModel.get(), scope.asJsonObject().get("value"));
        } catch (IllegalArgumentException e) {
            return new Inbound.Refused(id, ErrorCode.INVALID_SCOPE, "Bad value for scope '" + column.get() + "': "
                    + e.getMessage() + ".");
        }
        StreamId stream = new StreamId(channel.get(), column.get(), value);
        return subscribe ? new Inbound.Subscribe(id, model.get(), stream, from) : new Inbound.Unsubscribe(id, stream);
    }

    private static Optional<Position> position(JsonValue value) {
        if (!(value instanceof JsonObject object) || !(object.get("epoch") instanceof JsonString epoch)
                || !(object.get("seq") instanceof JsonNumber seq) || !seq.isIntegral() || seq.doubleValue() < 0
                || seq.doubleValue() > Long.MAX_VALUE || epoch.getString().length() > 128) {
            return Optional.empty();
        }
        return Optional.of(new Position(epoch.getString(), seq.longValue()));
    }

    private static Optional<String> string(JsonObject object, String name) {
        JsonValue value = object.get(name);
        return value instanceof JsonString s ? Optional.of(s.getString()) : Optional.empty();
    }

    /** Client text echoed in a message is cut short, so a hostile client cannot make us amplify it. */
    private static String clip(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
