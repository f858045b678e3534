package dev.rowcast.impl.socket;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One socket's requests that must run one after another (subscribe, unsubscribe, their refusals, propose): each
 * step starts when the one before has finished, so replies keep the order of the requests even while an authorizer
 * decides. Bounded in steps and in estimated bytes: while an authorizer hangs, a client that goes on sending is
 * refused instead of growing the chain.
 * <p>
 * A step runs on the thread that finished the one before: the socket's, an authorizer's, or the dispatch thread
 * (which completes a subscribe's stage). So a step must not block; the slow parts (authorizers, proposals) run
 * elsewhere and hand back a stage.
 */
final class RequestChain {

    private static final Logger LOG = Logger.getLogger(RequestChain.class.getName());

    private final Object owner;
    private final int maxSteps;
    private final long maxBytes;
    private CompletionStage<?> tail = CompletableFuture.completedFuture(null);
    private int steps;
    private long bytes;

    /** @param owner named in the log when a step fails */
    RequestChain(Object owner, int maxSteps, long maxBytes) {
        this.owner = owner;
        this.maxSteps = maxSteps;
        this.maxBytes = maxBytes;
    }

    /**
     * Appends a step, unless the chain is full.
     *
     * @param cost the step's estimated bytes while it waits (its frame, its parsed request)
     * @return false when the step was refused: too many steps or bytes wait already
     */
    synchronized boolean offer(long cost, Supplier<? extends CompletionStage<?>> step) {
        // one step alone always fits, however large: else a bound below one frame would refuse every request
        if (steps >= maxSteps || steps > 0 && bytes + cost > maxBytes) {
            return false;
        }
        steps++;
        bytes += cost;
        // handle, not thenCompose alone: a failed step must not skip the ones after it
        tail = tail.thenCompose(done -> start(step)).handle((result, failure) -> {
            finished(cost, failure);
            return null;
        });
        return true;
    }

    private static CompletionStage<?> start(Supplier<? extends CompletionStage<?>> step) {
        try {
            CompletionStage<?> stage = step.get();
            return stage == null ? CompletableFuture.completedFuture(null) : stage;
        } catch (Throwable e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private synchronized void finished(long cost, Throwable failure) {
        steps--;
        bytes -= cost;
        if (failure != null) {
            LOG.log(Level.WARNING, "ROWCAST-044: a subscription step failed on " + owner, failure);
        }
    }

    synchronized int steps() {
        return steps;
    }

    synchronized long bytes() {
        return bytes;
    }
}
