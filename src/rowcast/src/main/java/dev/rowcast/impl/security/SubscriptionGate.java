package dev.rowcast.impl.security;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.spi.StreamId;
import dev.rowcast.spi.SubscriptionAuthorizer;
import dev.rowcast.spi.SubscriptionRequest;

/**
 * Decides whether a connection may subscribe: the channel's {@code rolesAllowed} first, then every
 * {@link SubscriptionAuthorizer}. Any denial, exception or failed stage means no.
 */
public final class SubscriptionGate {

    private static final Logger LOG = Logger.getLogger(SubscriptionGate.class.getName());

    private final List<SubscriptionAuthorizer> authorizers;

    public SubscriptionGate(List<SubscriptionAuthorizer> authorizers) {
        this.authorizers = List.copyOf(authorizers);
    }

    /**
     * Whether the caller's roles admit it to the channel at all ({@code rolesAllowed}). Asked before the scope is
     * checked, so that a caller without the roles learns nothing of the channel's scopes.
     */
    public boolean mayUse(ConnectionIdentity identity, ReactiveEntityModel model) {
        return model.rolesAllowed().isEmpty() || model.rolesAllowed().stream().anyMatch(identity::isUserInRole);
    }

    public CompletionStage<Boolean> allows(ConnectionIdentity identity, ReactiveEntityModel model, StreamId stream) {
        if (!mayUse(identity, model)) {
            return CompletableFuture.completedFuture(false);
        }
        SubscriptionRequest request = new Request(identity, stream);
        CompletionStage<Boolean> verdict = CompletableFuture.completedFuture(true);
        for (SubscriptionAuthorizer authorizer : authorizers) {
            verdict = verdict.thenCompose(allowed -> allowed ? ask(authorizer, request)
                    : CompletableFuture.completedFuture(false));
        }
        return verdict.exceptionally(e -> {
            LOG.log(Level.WARNING, "Rowcast: a SubscriptionAuthorizer failed for " + identity + " on " + stream
                    + "; denied", e);
            return false;
        });
    }

    private static CompletionStage<Boolean> ask(SubscriptionAuthorizer authorizer, SubscriptionRequest request) {
        CompletionStage<Boolean> answer = authorizer.authorize(request);
        return answer == null ? CompletableFuture.completedFuture(false)
                : answer.thenApply(Boolean.TRUE::equals);
    }

    private record Request(ConnectionIdentity identity, StreamId stream) implements SubscriptionRequest {

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
