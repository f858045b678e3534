package dev.rowcast.impl.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Releases committed transactions in ticket order. A transaction takes its ticket in before-completion, while it
 * still holds its row locks, so two transactions that touch the same row hold tickets in commit order even when
 * their after-completion callbacks run the other way round.
 * <p>
 * A ticket whose transaction never completes would stall everything behind it, so after {@code timeoutNanos} the
 * sequencer skips it and logs; should it complete later, it is released at once, out of order. The same holds when
 * no later transaction completes but a snapshot waits for the missing ticket. Dispatch thread only.
 * <p>
 * A release that throws (anything, Errors too) is logged and costs only its own transaction: the tickets are
 * already accounted for, and every later transaction is still released.
 */
final class TicketSequencer<T> {

    private static final Logger LOG = Logger.getLogger(TicketSequencer.class.getName());

    private final TreeMap<Long, T> waiting = new TreeMap<>();
    private final long timeoutNanos;
    private final long firstTicket;
    private long next;
    private long blockedSince;
    /** The head ticket a snapshot has waited for with nothing completed behind it, and since when; 0 for none. */
    private long stalledHead;
    private long stalledSince;

    /** @param firstTicket the first ticket to wait for; earlier ones are released as they come */
    TicketSequencer(long firstTicket, long timeoutNanos) {
        this.next = firstTicket;
        this.firstTicket = firstTicket;
        this.timeoutNanos = timeoutNanos;
    }

    /**
     * Records a completed ticket and releases, in order, every payload that no longer waits for an earlier one.
     *
     * @param ticket 0 for a transaction that took none: it is released at once
     */
    void complete(long ticket, T payload, long nowNanos, Consumer<T> release) {
        if (ticket == 0) {
            releaseSafely(ticket, payload, release);
            return;
        }
        if (ticket < firstTicket) {
            // taken before the dispatcher started: there is nothing to order it against
            releaseSafely(ticket, payload, release);
            return;
        }
        if (ticket < next) {
            LOG.warning(() -> "ROWCAST-028: transaction ticket " + ticket + " completed after it was skipped; its changes "
                    + "are delivered out of commit order");
            releaseSafely(ticket, payload, release);
            return;
        }
        boolean wasWaiting = !waiting.isEmpty();
        long before = next;
        waiting.put(ticket, payload);
        drain(release);
        if (!waiting.isEmpty() && (!wasWaiting || next != before)) {
            blockedSince = nowNanos; // a new wait for the head ticket starts now
        }
    }

    /**
     * Skips a missing head ticket that has kept later ones waiting longer than the timeout, or, when none completed
     * behind it, that has kept a reader of {@code awaitedTicket} (a snapshot) waiting that long.
     *
     * @param awaitedTicket the highest ticket someone waits to see released; 0 for nobody
     */
    void expire(long nowNanos, long awaitedTicket, Consumer<T> release) {
        if (waiting.isEmpty()) {
            expireAwaited(nowNanos, awaitedTicket);
            return;
        }
        if (nowNanos - blockedSince < timeoutNanos) {
            return;
        }
        long skippedFrom = next;
        next = waiting.firstKey();
        LOG.warning(() -> "ROWCAST-029: transaction ticket(s) " + skippedFrom + ".." + (next - 1) + " did not complete "
                + "within the timeout; delivering later transactions without them");
        drain(release);
        blockedSince = nowNanos;
    }

    private void expireAwaited(long nowNanos, long awaitedTicket) {
        if (awaitedTicket < next) {
            stalledHead = 0;
            return;
        }
        if (stalledHead != next) {
            stalledHead = next;
            stalledSince = nowNanos;
            return;
        }
        if (nowNanos - stalledSince >= timeoutNanos) {
            long skipped = next++;
            LOG.warning(() -> "ROWCAST-030: transaction ticket " + skipped + " did not complete within the timeout; "
                    + "a snapshot waiting for it goes ahead without it");
            stalledHead = next;
            stalledSince = nowNanos;
        }
    }

    /** Every ticket up to this one has been released or skipped. */
    long releasedThrough() {
        return next - 1;
    }

    private void drain(Consumer<T> release) {
        List<Map.Entry<Long, T>> ready = new ArrayList<>();
        for (Map.Entry<Long, T> head = waiting.firstEntry(); head != null && head.getKey() == next;
                head = waiting.firstEntry()) {
            ready.add(waiting.pollFirstEntry());
            next++;
        }
        // next already moved past all of them: one failure must not strand the ones after it
        ready.forEach(entry -> releaseSafely(entry.getKey(), entry.getValue(), release));
    }

    private static <T> void releaseSafely(long ticket, T payload, Consumer<T> release) {
        try {
            release.accept(payload);
        } catch (Throwable e) {
            LOG.log(Level.SEVERE, "ROWCAST-031: releasing transaction ticket " + ticket + " failed; later ones go on", e);
        }
    }
}
