package dev.rowcast.impl.socket;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;

import dev.rowcast.impl.protocol.OutboundFrame;

/** Where one socket's text messages are handed to the container. */
interface Outlet {

    /**
     * Hands one message over. {@code sent} runs once the container has taken it: on any thread, maybe before this
     * returns.
     *
     * @throws IllegalStateException when the socket is closed
     */
    void send(OutboundFrame message, SendHandler sent);

    /** The standard way: the container frames and encodes the message's text itself. */
    static Outlet of(RemoteEndpoint.Async remote) {
        return (message, sent) -> remote.sendText(message.text(), sent);
    }
}
