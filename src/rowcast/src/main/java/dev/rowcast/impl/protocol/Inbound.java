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

    /** What a frame that names a stream asks for. */
    enum Action { SUBSCRIBE, UNSUBSCRIBE, JOIN, LEAVE, BROADCAST }

    /**
     * A frame that names a stream of a known channel whose scope is not checked yet: {@link InboundParser#scope}
     * finishes it, after the socket checked the channel's roles.
     *
     * @param value the wire value of {@code scope.value}
     * @param from the client's cursor, or {@code null}
     * @param event a broadcast's event name, else {@code null}
     * @param data a broadcast's data, else {@code null}
     */
    record ForChannel(JsonValue id, Action action, ReactiveEntityModel model, String column, JsonValue value,
            Position from, String event, JsonValue data) implements Inbound {

        public ForChannel(JsonValue id, boolean subscribe, ReactiveEntityModel model, String column, JsonValue value,
                Position from) {
            this(id, subscribe ? Action.SUBSCRIBE : Action.UNSUBSCRIBE, model, column, value, from, null, null);
        }

        public boolean subscribe() {
            return action == Action.SUBSCRIBE;
        }
    }

    /** Join the presence of a stream the socket follows. */
    record Join(JsonValue id, StreamId stream) implements Inbound {
    }

    record Leave(JsonValue id, StreamId stream) implements Inbound {
    }

    /** An ephemeral message to the other subscribers of a stream; {@code data} is any JSON value. */
    record Broadcast(JsonValue id, StreamId stream, String event, JsonValue data) implements Inbound {
    }

    /** A write the application's {@code @Proposal} handler for {@code name} performs; {@code id} is required. */
    record Propose(JsonValue id, String name, JsonValue payload) implements Inbound {
    }

    /** @param from the client's cursor, or {@code null} for a fresh subscription */
    record Subscribe(JsonValue id, ReactiveEntityModel model, StreamId stream, Position from) implements Inbound {
    }

    record Unsubscribe(JsonValue id, StreamId stream) implements Inbound {
    }

    /**
     * A frame that is not a valid message: answered with this error, the socket stays open.
     *
     * @param inOrder the refusal of a subscribe or unsubscribe: answered in order with the socket's other requests
     */
    record Refused(JsonValue id, ErrorCode code, String message, boolean inOrder) implements Inbound {

        public Refused(JsonValue id, ErrorCode code, String message) {
            this(id, code, message, false);
        }

        /** The refusal of a request of this kind: in order if it is a subscribe or unsubscribe. */
        public static Refused of(Action action, JsonValue id, ErrorCode code, String message) {
            return new Refused(id, code, message, action == Action.SUBSCRIBE || action == Action.UNSUBSCRIBE);
        }

        public String frame() {
            return Frames.error(code, message, id);
        }
    }
}
