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

    /** Called in before-completion, while the transaction still holds its locks. */
    public static long takeTicket() {
        return TICKETS.incrementAndGet();
    }

    /** The last ticket handed out. */
    public static long ticketsTaken() {
        return TICKETS.get();
    }

    public static void complete(long ticket, List<CapturedChange> changes) {
        ChangeSink current = sink;
        if (current != null) {
            current.complete(ticket, changes);
        } else if (!changes.isEmpty() && WARNED.compareAndSet(false, true)) {
            LOG.warning(() -> "Rowcast: " + changes.get(0).change() + " committed before the application started or "
                    + "after it stopped; it is not delivered. (Logged once.)");
        }
    }
}
