package dev.rowcast;

import java.util.concurrent.CompletionStage;

/**
 * Ends subscriptions that lost their right, while their sockets stay open. Subscriptions are authorized when they
 * are made; call this when the facts behind that decision change: a member removed from a conversation, a role
 * taken away, a token revoked. Inject it: {@code @Inject Subscriptions subscriptions;}
 * <p>
 * Each ended subscription gets an {@code error} frame with code {@code revoked} and the id of the request that made
 * it (docs/protocol.md). Calls return at once; the work is queued to Rowcast's dispatch thread, in order with the
 * changes committed before the call, so no change committed after the call reaches an ended subscription. Call
 * them after the commit that took the right away, or a subscribe racing the commit may still pass.
 */
public interface Subscriptions {

    /**
     * Ends {@code user}'s subscriptions to one stream, on every socket of that user.
     *
     * @param value the scope value in the scope's Java type, e.g. a {@code Long} for a foreign key to a
     *        {@code Long} id
     * @throws IllegalArgumentException when the channel or scope does not exist or the value has another type
     */
    void revoke(String user, String channel, String scopeColumn, Object value);

    /**
     * Asks the channel's {@code rolesAllowed} and every {@code SubscriptionAuthorizer} again about each of
     * {@code user}'s subscriptions, and ends those now denied.
     *
     * @return completes with the number of subscriptions ended
     */
    CompletionStage<Integer> recheck(String user);

    /**
     * Closes every socket of {@code user} with 4401, as when a credential expires: for a revoked token or a
     * changed role, which only a new handshake can tell.
     */
    void disconnect(String user);
}
