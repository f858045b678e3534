package dev.rowcast.impl.dispatch;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Actions that wait until every transaction up to a ticket has been released to the streams: a proposal's result
 * goes out after the changes its transaction caused. Dispatch thread only.
 */
final class ReleaseWaiters {

    private static final Logger LOG = Logger.getLogger(ReleaseWaiters.class.getName());

    private record Waiter(long ticket, Runnable action) {
    }

    private final List<Waiter> waiting = new ArrayList<>();

    void add(long ticket, Runnable action, long releasedThrough) {
        if (ticket <= releasedThrough) {
            run(action);
        } else {
            waiting.add(new Waiter(ticket, action));
        }
    }

    void released(long releasedThrough) {
        if (waiting.isEmpty()) {
            return;
        }
        for (Iterator<Waiter> it = waiting.iterator(); it.hasNext();) {
            Waiter waiter = it.next();
            if (waiter.ticket() <= releasedThrough) {
                it.remove();
                run(waiter.action());
            }
        }
    }

    private static void run(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "ROWCAST-017: an action after a release failed", e);
        }
    }
}
