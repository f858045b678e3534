package dev.rowcast.chat.security;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.rowcast.spi.SubscriptionAuthorizer;
import dev.rowcast.spi.SubscriptionRequest;

/**
 * Only members of a conversation, and admins, may follow its messages and its member list; a user's own
 * memberships (their conversation list) only they and admins.
 */
@ApplicationScoped
public class MembershipAuthorizer implements SubscriptionAuthorizer {

    @Inject
    Membership membership;

    @Override
    public CompletionStage<Boolean> authorize(SubscriptionRequest request) {
        String channel = request.stream().channel();
        if (channel.equals("membership") && request.stream().column().equals("username")) {
            boolean own = request.principal() != null && request.principal().getName().equals(request.stream().value());
            return CompletableFuture.completedFuture(own || request.isUserInRole(Roles.ADMIN));
        }
        if (!channel.equals("message") && !channel.equals("membership")) {
            return CompletableFuture.completedFuture(true); // not this authorizer's channel
        }
        boolean allowed = request.stream().column().equals("conversation_id")
                && request.stream().value() instanceof Long conversation
                && membership.mayAccess(conversation, request.principal(), request.isUserInRole(Roles.ADMIN));
        return CompletableFuture.completedFuture(allowed);
    }
}
