package dev.rowcast.spi;

import jakarta.json.JsonValue;

/**
 * An ephemeral message a client sent to a stream it follows, as a {@link BroadcastPolicy} sees it.
 *
 * @param sender who sent it, as the handshake authenticated them; the frame's {@code from} is taken from here
 * @param event the client's event name, such as {@code typing}
 * @param data the client's data, any JSON value
 */
public record Broadcast(Viewer sender, StreamId stream, String event, JsonValue data) {
}
