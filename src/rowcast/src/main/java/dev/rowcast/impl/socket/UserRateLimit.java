package dev.rowcast.impl.socket;

/**
 * A rate limit per authenticated user, shared by every instance (cluster mode): each subscribe draws on it before
 * it is authorized. Called on the connection's message thread.
 */
@FunctionalInterface
public interface UserRateLimit {

    /** Whether the user may subscribe now; draws one token when so. */
    boolean allow(String user);
}
