package dev.rowcast.spi;

/** A subscription to authorize: who asks, for which stream. */
public interface SubscriptionRequest extends Viewer {

    StreamId stream();
}
