package dev.rowcast.impl.dispatch;

import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.spi.StreamId;

/** One live subscription, as the dispatcher reports it to be checked again. */
public record Subscribed(Subscriber subscriber, StreamId stream, ReactiveEntityModel model) {
}
