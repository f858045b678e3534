package dev.rowcast.impl.proposal;

import java.io.StringReader;
import java.lang.reflect.Type;
import java.util.AbstractMap;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.json.Json;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.persistence.OptimisticLockException;
import jakarta.transaction.Status;
import jakarta.transaction.UserTransaction;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;

import dev.rowcast.ProposalRefused;
import dev.rowcast.impl.dispatch.Subscriber;
import dev.rowcast.impl.protocol.ErrorCode;
import dev.rowcast.impl.protocol.Frames;
import dev.rowcast.impl.protocol.Inbound;
import dev.rowcast.spi.ProposalAuthorizer;
import dev.rowcast.spi.ProposalRequest;
import dev.rowcast.spi.Viewer;

/**
 * Runs proposals: roles, authorizers, conversion, Bean Validation, the handler in a JTA transaction, and the
 * correlated result. The result of a committed proposal goes out through the dispatcher after the changes its
 * transaction caused ({@code afterCommitted}), so on the proposer's socket the changes come first. A failure never
 * tells the client more than its code and a fixed message; the exception is logged here.
 */
public final class Proposals {

    private static final Logger LOG = Logger.getLogger(Proposals.class.getName());
    private static final int MAX_REASON = 64;

    private final Map<String, ProposalHandler> handlers;
    private final List<ProposalAuthorizer> authorizers;
    private final Executor threads;
    private final UserTransaction transaction;
    private final Validator validator;
    private final Jsonb jsonb;
    private final Consumer<Runnable> afterCommitted;

    /**
     * @param threads proposal threads with the application's context, bounded
     * @param validator Bean Validation, or {@code null} when the server has none
     * @param afterCommitted runs an action once every transaction committed so far reached the streams
     */
    public Proposals(Map<String, ProposalHandler> handlers, List<ProposalAuthorizer> authorizers, Executor threads,
            UserTransaction transaction, Validator validator, Jsonb jsonb, Consumer<Runnable> afterCommitted) {
        this.handlers = Map.copyOf(handlers);
        this.authorizers = List.copyOf(authorizers);
        this.threads = threads;
        this.transaction = transaction;
        this.validator = validator;
        this.jsonb = jsonb;
        this.afterCommitted = afterCommitted;
    }

    /** The roles handlers name, to be recorded at each handshake. */
    public Set<String> roles() {
        return handlers.values().stream().flatMap(handler -> handler.rolesAllowed().stream())
                .collect(java.util.stream.Collectors.toSet());
    }

    /**
     * Handles one proposal. Returns when the proposer has its answer or the result waits for the dispatcher, so a
     * socket can chain its proposals and keep their order.
     */
    public CompletionStage<?> propose(Subscriber socket, Inbound.Propose proposal) {
        ProposalHandler handler = handlers.get(proposal.name());
        if (handler == null) {
            socket.send(Frames.error(ErrorCode.UNKNOWN_PROPOSAL, "No proposal named '" + proposal.name() + "'.",
                    proposal.id()));
            return CompletableFuture.completedFuture(null);
        }
        if (!hasRole(socket.viewer(), handler)) {
            socket.send(forbidden(proposal));
            return CompletableFuture.completedFuture(null);
        }
        try {
            // the step ends when the result was sent, so the socket's next request cannot answer first
            return CompletableFuture.supplyAsync(() -> run(socket, handler, proposal), threads)
                    .thenCompose(sent -> sent);
        } catch (RejectedExecutionException e) {
            socket.send(Frames.error(ErrorCode.OVERLOADED, "Too many proposals wait; try again shortly.",
                    proposal.id()));
            return CompletableFuture.completedFuture(null);
        }
    }

    private static boolean hasRole(Viewer viewer, ProposalHandler handler) {
        try {
            return handler.rolesAllowed().isEmpty() || handler.rolesAllowed().stream().anyMatch(viewer::isUserInRole);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "ROWCAST-036: role check failed for proposal " + handler.name() + "; denied", e);
            return false;
        }
    }

    private CompletionStage<Void> run(Subscriber socket, ProposalHandler handler, Inbound.Propose proposal) {
        JsonValue id = proposal.id();
        if (!socket.isOpen()) {
            return done(); // nobody to answer: do not write on behalf of a socket that is gone
        }
        if (!authorized(socket.viewer(), proposal)) {
            socket.send(forbidden(proposal));
            return done();
        }
        Object payload;
        try {
            payload = convert(proposal.payload(), handler.payloadType());
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Rowcast: payload of proposal " + handler.name() + " does not convert", e);
            socket.send(Frames.invalid(id, "The payload does not have the shape '" + handler.name() + "' expects.",
                    List.of()));
            return done();
        }
        List<Map.Entry<String, String>> violations = validate(payload);
        if (!violations.isEmpty()) {
            socket.send(Frames.invalid(id, "The payload is not valid.", violations));
            return done();
        }
        CompletableFuture<Void> sent = new CompletableFuture<>();
        String failure = inTransaction(socket, handler, payload, proposal, sent);
        if (failure != null) {
            socket.send(failure);
            sent.complete(null);
        }
        return sent;
    }

    private static CompletionStage<Void> done() {
        return CompletableFuture.completedFuture(null);
    }

    /** @return the error frame, or {@code null} when it committed and the result is on its way */
    private String inTransaction(Subscriber socket, ProposalHandler handler, Object payload, Inbound.Propose proposal,
            CompletableFuture<Void> sent) {
        JsonValue id = proposal.id();
        JsonValue value;
        try {
            transaction.begin();
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "ROWCAST-037: cannot begin a transaction for proposal " + handler.name(), e);
            return Frames.error(ErrorCode.PROPOSAL_FAILED, "The proposal failed; nothing was saved.", id);
        }
        try {
            Object result = handler.invoker().invoke(payload, socket.viewer());
            value = toJson(result); // inside the transaction: a returned entity may still load what it needs
            if (transaction.getStatus() == Status.STATUS_MARKED_ROLLBACK) {
                transaction.rollback();
                return Frames.error(ErrorCode.PROPOSAL_FAILED, "The proposal failed; nothing was saved.", id);
            }
            transaction.commit();
        } catch (Exception e) {
            rollbackQuietly();
            return failure(handler, proposal, socket.viewer(), e);
        } catch (Error e) {
            rollbackQuietly();
            throw e;
        }
        String frame = Frames.proposed(id, value);
        afterCommitted.accept(() -> {
            try {
                socket.send(frame);
            } finally {
                sent.complete(null);
            }
        });
        return null;
    }

    private void rollbackQuietly() {
        try {
            if (transaction.getStatus() != Status.STATUS_NO_TRANSACTION) {
                transaction.rollback();
            }
        } catch (Exception e) {
            LOG.log(Level.WARNING, "ROWCAST-038: rollback of a proposal failed", e);
        }
    }

    /** What the proposer is told; the exception stays in the log. */
    private static String failure(ProposalHandler handler, Inbound.Propose proposal, Viewer viewer, Exception e) {
        JsonValue id = proposal.id();
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ProposalRefused refused) {
                return Frames.refused(id, reason(refused.reason()), String.valueOf(refused.getMessage()));
            }
            if (cause instanceof ConstraintViolationException invalid) {
                return Frames.invalid(id, "The proposal is not valid.", violations(invalid.getConstraintViolations()));
            }
            if (cause instanceof OptimisticLockException) {
                return Frames.error(ErrorCode.PROPOSAL_CONFLICT, "Someone changed the same data meanwhile; nothing "
                        + "was saved. Try again.", id);
            }
        }
        LOG.log(Level.WARNING, "ROWCAST-039: proposal " + handler.name() + " by " + viewer + " failed and was rolled "
                + "back", e);
        return Frames.error(ErrorCode.PROPOSAL_FAILED, "The proposal failed; nothing was saved.", id);
    }

    private static String reason(String reason) {
        if (reason == null || reason.isEmpty()) {
            return "refused";
        }
        return reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
    }

    private boolean authorized(Viewer viewer, Inbound.Propose proposal) {
        ProposalRequest request = new ProposalRequest(viewer, proposal.name(), proposal.payload());
        for (ProposalAuthorizer authorizer : authorizers) {
            try {
                if (!authorizer.authorize(request)) {
                    return false;
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "ROWCAST-040: a ProposalAuthorizer failed for " + viewer + " on "
                        + proposal.name() + "; denied", e);
                return false;
            }
        }
        return true;
    }

    private Object convert(JsonValue payload, Type type) {
        if (type instanceof Class<?> target && JsonValue.class.isAssignableFrom(target)) {
            if (!target.isInstance(payload)) {
                throw new IllegalArgumentException("expected " + target.getSimpleName());
            }
            return payload;
        }
        if (payload.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        return jsonb.fromJson(Frames.json(payload), type);
    }

    private List<Map.Entry<String, String>> validate(Object payload) {
        if (payload == null) {
            return List.of(new AbstractMap.SimpleEntry<>("", "a payload is required"));
        }
        if (validator == null || payload instanceof JsonValue) {
            return List.of();
        }
        return violations(validator.validate(payload));
    }

    private static List<Map.Entry<String, String>> violations(Set<? extends ConstraintViolation<?>> found) {
        return found.stream()
                .map(v -> (Map.Entry<String, String>) new AbstractMap.SimpleEntry<>(
                        String.valueOf(v.getPropertyPath()), v.getMessage()))
                .sorted(Comparator.comparing(Map.Entry::getKey)).toList();
    }

    private JsonValue toJson(Object result) {
        if (result == null) {
            return JsonValue.NULL;
        }
        if (result instanceof JsonValue json) {
            return json;
        }
        try (JsonReader reader = Json.createReader(new StringReader(jsonb.toJson(result)))) {
            return reader.readValue();
        }
    }

    private static String forbidden(Inbound.Propose proposal) {
        return Frames.error(ErrorCode.FORBIDDEN, "You may not make this proposal.", proposal.id());
    }
}
