package dev.rowcast.impl.security;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.spi.StreamId;
import dev.rowcast.spi.SubscriptionAuthorizer;
import dev.rowcast.spi.SubscriptionRequest;
import dev.rowcast.spi.Viewer;

/**
 * Decides whether a connection may subscribe: the channel's {@code rolesAllowed} first, then every
 * {@link SubscriptionAuthorizer}. Any denial, exception, failed stage or answer later than the timeout means no.
 * <p>
 * Authorizers are called on {@code authorizerThreads}, threads that carry the application's context, not on the
 * socket's thread: the container's socket threads have no invocation context, so JPA and CDI fail there.
 */
public final class SubscriptionGate {

    private static final Logger LOG = Logger.getLogger(SubscriptionGate.class.getName());

    private final List<SubscriptionAuthorizer> authorizers;
    private final Executor authorizerThreads;
    private final Duration timeout;

    public SubscriptionGate(List<SubscriptionAuthorizer> authorizers, Executor authorizerThreads, Duration timeout) {
        this.authorizers = List.copyOf(authorizers);
        this.authorizerThreads = authorizerThreads;
        this.timeout = timeout;
    }

    /**
     * Whether the caller's roles admit it to the channel at all ({@code rolesAllowed}). Asked before the scope is
     * checked, so that a caller without the roles learns nothing of the channel's scopes.
     */
    public boolean mayUse(Viewer identity, ReactiveEntityModel model) {
        return model.rolesAllowed().isEmpty() || model.rolesAllowed().stream().anyMatch(identity::isUserInRole);
    }

    public CompletionStage<Boolean> allows(Viewer identity, ReactiveEntityModel model, StreamId stream) {
        if (!mayUse(identity, model)) {
            return CompletableFuture.completedFuture(false);
        }
        SubscriptionRequest request = new Request(identity, stream);
        CompletionStage<Boolean> verdict = CompletableFuture.completedFuture(true);
        for (SubscriptionAuthorizer authorizer : authorizers) {
            verdict = verdict.thenCompose(allowed -> allowed ? ask(authorizer, request)
                    : CompletableFuture.completedFuture(false));
        }
        return verdict.toCompletableFuture().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).exceptionally(e -> {
            LOG.log(Level.WARNING, "ROWCAST-043: a SubscriptionAuthorizer failed for " + identity + " on " + stream
                    + "; denied", e);
            return false;
        });
    }

    private CompletionStage<Boolean> ask(SubscriptionAuthorizer authorizer, SubscriptionRequest request) {
        return CompletableFuture.supplyAsync(() -> authorizer.authorize(request), authorizerThreads)
                .thenCompose(answer -> answer == null ? CompletableFuture.completedFuture(false)
                        : answer.thenApply(Boolean.TRUE::equals));
    }

    private record Request(Viewer identity, StreamId stream) implements SubscriptionRequest {

        @Override
        public java.security.Principal principal() {
            return identity.principal();
        }

        @Override
        public boolean isUserInRole(String role) {
            return identity.isUserInRole(role);
        }
    }
}
