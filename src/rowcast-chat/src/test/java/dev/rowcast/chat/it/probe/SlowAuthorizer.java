package dev.rowcast.chat.it.probe;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import dev.rowcast.spi.SubscriptionAuthorizer;
import dev.rowcast.spi.SubscriptionRequest;

/**
 * Test probe: an asynchronous authorizer for {@code secret_note} topics from 1000 on. It answers 400 ms later on
 * another thread: yes, except for topic 1666, whose answer fails, and topic 1777, which is never answered (the
 * authorizer timeout denies it). Lower topics are answered at once.
 */
@ApplicationScoped
public class SlowAuthorizer implements SubscriptionAuthorizer {

    public static final long SLOW_FROM = 1000;
    public static final long FAILING = 1666;
    public static final long HANGING = 1777;

    @Override
    public CompletionStage<Boolean> authorize(SubscriptionRequest request) {
        if (!request.stream().channel().equals("secret_note")
                || !(request.stream().value() instanceof Long topic) || topic < SLOW_FROM) {
            return CompletableFuture.completedFuture(true);
        }
        if (topic == HANGING) {
            return new CompletableFuture<>(); // never completes
        }
        return CompletableFuture.supplyAsync(() -> {
            if (topic == FAILING) {
                throw new IllegalStateException("the authorization service is down");
            }
            return true;
        }, CompletableFuture.delayedExecutor(400, TimeUnit.MILLISECONDS));
    }
}
