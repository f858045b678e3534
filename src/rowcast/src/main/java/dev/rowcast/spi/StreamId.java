package dev.rowcast.spi;

import java.util.Objects;

/**
 * One stream: a channel and one value of one of its scopes, e.g. channel {@code message}, column
 * {@code conversation_id}, value {@code 42L}. The value has the scope's Java type, so {@code 42} and {@code "42"}
 * on the wire are the same stream.
 */
public record StreamId(String channel, String column, Object value) {

    public StreamId {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(value, "value");
    }
}
