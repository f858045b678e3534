package dev.rowcast.spi;

import jakarta.json.JsonValue;

/**
 * Vetoes or shapes broadcasts. Every CDI bean implementing it is asked, in turn, about each broadcast before it is
 * throttled and sent; each sees the data the one before returned. Called on Rowcast's talk thread (it has the
 * application's context), so keep it fast: a slow policy delays every broadcast. A policy that throws drops the
 * broadcast (fail closed).
 */
public interface BroadcastPolicy {

    /** The data to send, {@code broadcast.data()} itself or another value; {@code null} drops the broadcast. */
    JsonValue shape(Broadcast broadcast);
}
