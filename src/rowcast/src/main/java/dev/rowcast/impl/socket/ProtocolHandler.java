package dev.rowcast.impl.socket;

import java.io.StringReader;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.JsonValue.ValueType;

import dev.rowcast.impl.dispatch.ChangeDispatcher;
import dev.rowcast.impl.dispatch.ErrorCode;
import dev.rowcast.impl.dispatch.Frames;
import dev.rowcast.impl.model.ReactiveChannels;
import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.model.ScopeModel;
import dev.rowcast.impl.security.SubscriptionGate;
import dev.rowcast.spi.Position;
import dev.rowcast.spi.StreamId;

/**
 * Reads one client frame, checks it, and hands subscriptions to the dispatcher. Every bad frame gets an error
 * frame and leaves the socket open and working.
 */
final class ProtocolHandler {

    private final ChangeDispatcher dispatcher;
    private final SubscriptionGate gate;

    ProtocolHandler(ChangeDispatcher dispatcher, SubscriptionGate gate) {
        this.dispatcher = dispatcher;
        this.gate = gate;
    }

    void handle(ClientConnection connection, String text) {
        switch (connection.inbound().acquire(System.nanoTime())) {
            case LIMIT -> {
                connection.send(Frames.error(ErrorCode.RATE_LIMITED,
                        "Too many messages; this one was dropped. Slow down.", null));
                return;
            }
            case CLOSE -> {
                connection.close(CloseCodes.reason(CloseCodes.RATE_LIMITED, "rate limited"));
                return;
            }
            default -> {
                // allowed
            }
        }
        String error = handleOrExplain(connection, text);
        if (error != null) {
            connection.send(error);
        }
    }

    /** @return an error frame, or {@code null} when the frame was accepted (its reply comes from the dispatcher) */
    private String handleOrExplain(ClientConnection connection, String text) {
        JsonValue parsed;
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            parsed = reader.readValue();
        } catch (RuntimeException | StackOverflowError e) {
            // StackOverflowError: hostile nesting on a parser without a depth limit; the frame size bounds the depth
            return Frames.error(ErrorCode.INVALID_JSON, "The frame is not valid JSON.", null);
        }
        if (parsed.getValueType() != ValueType.OBJECT) {
            return Frames.error(ErrorCode.INVALID_MESSAGE, "A frame must be a JSON object.", null);
        }
        JsonObject message = parsed.asJsonObject();
        JsonValue id = message.get("id");
        if (id != null && id.getValueType() != ValueType.STRING && id.getValueType() != ValueType.NUMBER) {
            return Frames.error(ErrorCode.INVALID_MESSAGE, "id must be a string or a number.", null);
        }
        Optional<String> type = string(message, "type");
        if (type.isEmpty()) {
            return Frames.error(ErrorCode.INVALID_MESSAGE, "type is required and must be a string.", id);
        }
        return switch (type.get()) {
            case "subscribe", "unsubscribe" -> subscription(connection, message, type.get(), id);
            case "ping" -> {
                connection.send(Frames.pong(id));
                yield null;
            }
            default -> Frames.error(ErrorCode.UNKNOWN_MESSAGE_TYPE,
                    "Unknown type; expected subscribe, unsubscribe or ping.", id);
        };
    }

    private String subscription(ClientConnection connection, JsonObject message, String type, JsonValue id) {
        Optional<String> channel = string(message, "channel");
        if (channel.isEmpty()) {
            return Frames.error(ErrorCode.INVALID_MESSAGE, "channel is required and must be a string.", id);
        }
        JsonValue scope = message.get("scope");
        if (scope == null || scope.getValueType() != ValueType.OBJECT) {
            return Frames.error(ErrorCode.INVALID_MESSAGE,
                    "scope is required and must be an object {\"col\":...,\"value\":...}.", id);
        }
        Optional<String> column = string(scope.asJsonObject(), "col");
        if (column.isEmpty() || !scope.asJsonObject().containsKey("value")) {
            return Frames.error(ErrorCode.INVALID_MESSAGE, "scope.col (a string) and scope.value are required.", id);
        }
        Position from = null;
        if (type.equals("subscribe") && message.containsKey("from")) {
            Optional<Position> position = position(message.get("from"));
            if (position.isEmpty()) {
                return Frames.error(ErrorCode.INVALID_MESSAGE,
                        "from must be {\"epoch\": string, \"seq\": integer >= 0}.", id);
            }
            from = position.get();
        }
        Optional<ReactiveEntityModel> model = ReactiveChannels.find(channel.get());
        if (model.isEmpty()) {
            return Frames.error(ErrorCode.UNKNOWN_CHANNEL, "No channel '" + clip(channel.get()) + "'.", id);
        }
        Optional<ScopeModel> scopeModel = model.get().scopeByColumn(column.get());
        if (scopeModel.isEmpty()) {
            return Frames.error(ErrorCode.INVALID_SCOPE, "Channel '" + channel.get() + "' has no scope '"
                    + clip(column.get()) + "'; its scopes are: " + model.get().scopeColumns() + ".", id);
        }
        Object value;
        try {
            value = scopeModel.get().convert(scope.asJsonObject().get("value"));
        } catch (IllegalArgumentException e) {
            return Frames.error(ErrorCode.INVALID_SCOPE, "Bad value for scope '" + column.get() + "': "
                    + e.getMessage() + ".", id);
        }
        StreamId stream = new StreamId(channel.get(), column.get(), value);
        if (type.equals("unsubscribe")) {
            connection.inOrder(() -> {
                dispatcher.unsubscribe(connection, stream, id);
                return CompletableFuture.completedFuture(null);
            });
            return null;
        }
        Position cursor = from;
        connection.inOrder(() -> gate.allows(connection.viewer(), model.get(), stream).thenAccept(allowed -> {
            if (!connection.isOpen()) {
                return; // closed while the authorizer decided
            }
            if (Boolean.TRUE.equals(allowed)) {
                dispatcher.subscribe(connection, stream, model.get(), id, cursor);
            } else {
                connection.send(Frames.error(ErrorCode.FORBIDDEN,
                        "You may not subscribe to this channel and scope.", id));
            }
        }));
        return null;
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
