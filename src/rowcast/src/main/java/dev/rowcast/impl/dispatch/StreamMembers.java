package dev.rowcast.impl.dispatch;

import dev.rowcast.spi.StreamId;

/**
 * Told on the dispatch thread when a socket starts or stops following a stream, so presence and broadcasts (which
 * live elsewhere) know each stream's subscribers without a second source of truth. Must only hand the news on:
 * never block, never throw.
 */
public interface StreamMembers {

    StreamMembers NONE = new StreamMembers() {
        @Override
        public void joined(Subscriber subscriber, StreamId stream) {
        }

        @Override
        public void left(Subscriber subscriber, StreamId stream) {
        }
    };

    /** Called before the socket's {@code subscribed} reply is queued. */
    void joined(Subscriber subscriber, StreamId stream);

    /** Unsubscribed, revoked or disconnected. */
    void left(Subscriber subscriber, StreamId stream);
}
