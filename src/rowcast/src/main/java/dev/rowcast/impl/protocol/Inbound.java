package dev.rowcast.impl.protocol;

import jakarta.json.JsonValue;

import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.spi.Position;
import dev.rowcast.spi.StreamId;

/** A client frame, parsed and checked by {@link InboundParser}: one of the messages docs/protocol.md lists. */
public sealed interface Inbound {

    /** The client's correlation id, a string or a number, or {@code null}. */
    JsonValue id();

    record Ping(JsonValue id) implements Inbound {
    }

    /**
     * A subscribe or unsubscribe of a known channel whose scope is not checked yet: {@link InboundParser#scope}
     * finishes it, after the socket checked the channel's roles.
     *
     * @param value the wire value of {@code scope.value}
     * @param from the client's cursor, or {@code null}
     */
    record ForChannel(JsonValue id, boolean subscribe, ReactiveEntityModel model, String column, JsonValue value,
            Position from) implements Inbound {
    }

    /** @param from the client's cursor, or {@code null} for a fresh subscription */
    record Subscribe(JsonValue id, ReactiveEntityModel model, StreamId stream, Position from) implements Inbound {
    }

    record Unsubscribe(JsonValue id, StreamId stream) implements Inbound {
    }

    /** A frame that is not a valid message: answered with this error, the socket stays open. */
    record Refused(JsonValue id, ErrorCode code, String message) implements Inbound {

        public String frame() {
            return Frames.error(code, message, id);
        }
    }
}
