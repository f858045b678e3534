package dev.rowcast.impl.bridge;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Where Hibernate's listener meets the CDI world. Hibernate creates the listener before CDI is up, so the dispatcher
 * installs itself here at application start instead of being looked up on the committing thread. Also hands out
 * the transaction tickets that order commits.
 */
public final class CaptureBridge {

    private static final Logger LOG = Logger.getLogger(CaptureBridge.class.getName());
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static final AtomicLong TICKETS = new AtomicLong();
    private static volatile ChangeSink sink;
    /** Before the dispatcher is installed nothing is delivered anyway; these only bound the capture's memory. */
    static final long DEFAULT_MAX_TRANSACTION_BYTES = 16L * 1024 * 1024;
    static final int DEFAULT_MAX_LOST_STREAMS = 10_000;

    private CaptureBridge() {
    }

    public static void install(ChangeSink newSink) {
        sink = newSink;
    }

    public static void uninstall(ChangeSink oldSink) {
        if (sink == oldSink) {
            sink = null;
        }
    }

    /** How much of one transaction's changes a capture keeps before it counts only their streams. */
    public static long maxTransactionBytes() {
        ChangeSink current = sink;
        return current != null ? current.maxTransactionBytes() : DEFAULT_MAX_TRANSACTION_BYTES;
    }

    public static int maxLostStreams() {
        ChangeSink current = sink;
        return current != null ? current.maxLostStreams() : DEFAULT_MAX_LOST_STREAMS;
    }

    /** Called in before-completion, while the transaction still holds its locks. */
    public static long takeTicket() {
        return TICKETS.incrementAndGet();
    }

    /** The last ticket handed out. */
    public static long ticketsTaken() {
        return TICKETS.get();
    }

    /** @param lost streams of committed changes the capture did not keep, or {@code null} */
    public static void complete(long ticket, List<CapturedChange> changes, LostChanges lost) {
        complete(ticket, changes, ChangeSize.of(changes), lost);
    }

    /** @param bytes the changes' estimated bytes, {@link ChangeSize#of(java.util.Collection)} */
    public static void complete(long ticket, List<CapturedChange> changes, long bytes, LostChanges lost) {
        ChangeSink current = sink;
        if (current != null) {
            current.complete(ticket, changes, bytes, lost);
        } else if (!changes.isEmpty() && WARNED.compareAndSet(false, true)) {
            LOG.warning(() -> "ROWCAST-005: " + changes.get(0).change() + " committed before the application started or "
                    + "after it stopped; it is not delivered. (Logged once.)");
        }
    }
}
