package dev.rowcast.spi;

import java.util.concurrent.CompletionStage;

/**
 * Programmatic authorization of subscriptions. Every CDI bean of this type is asked at subscribe time, after the
 * channel's {@code rolesAllowed}; all must allow. A denial, an exception or a failed stage refuses the subscription
 * with a {@code forbidden} error; the socket stays open.
 * <p>
 * Called on the connection's message thread. It may block briefly (a membership query), or return a stage that
 * completes later.
 */
public interface SubscriptionAuthorizer {

    CompletionStage<Boolean> authorize(SubscriptionRequest request);
}
