package dev.rowcast.impl.socket;

import static dev.rowcast.impl.socket.ContainerReflection.field;

import java.lang.reflect.Field;
import java.util.concurrent.Delayed;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import jakarta.websocket.Session;

/**
 * Takes Tyrus's idle timer off Payara's managed scheduler, per session.
 * <p>
 * Tyrus 2.1.5 re-arms a session's idle timer on every message it sends ({@code TyrusSession.restartIdleTimeoutExecutor}:
 * cancel, then schedule on the session's {@code service}), and Payara hands every session its
 * {@code DefaultManagedScheduledExecutorService}, which captures the caller's context on each {@code schedule}. That
 * was ~40 % of the server's CPU per delivered frame (docs/benchmarks.md). Tyrus fixed the empty re-arm once
 * (eclipse-ee4j/tyrus#487, TYRUS-310, in 1.5); 2.1.5 schedules again, and no setting chooses another scheduler
 * (docs/architecture.md, "Platform notes", has the upstream report's text). So this replaces the session's private
 * {@code service} field with {@link Scheduler}: a timer with no idle timeout set (Rowcast's sockets, whose liveness is
 * the heartbeats' job) is not scheduled at all, and any other runs on a plain scheduler thread.
 * <p>
 * Guarded: when the session is not Tyrus's or the field is gone (another container or Tyrus version), nothing is
 * changed and that is logged once.
 */
public final class IdleTimerBypass {

    private static final Logger LOG = Logger.getLogger(IdleTimerBypass.class.getName());
    private static final String FIELD = "service";

    private final Scheduler scheduler;
    private final OneTimeWarning warning = new OneTimeWarning(LOG);

    private IdleTimerBypass(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** A bypass that changes nothing: the setting is off. */
    public static IdleTimerBypass off() {
        return new IdleTimerBypass(null);
    }

    /** @param skipped told each time a re-arm is skipped: once per message sent or received */
    public static IdleTimerBypass create(ThreadFactory threads, Runnable skipped) {
        return new IdleTimerBypass(new Scheduler(threads, skipped));
    }

    /** @return whether the session's idle timer now runs on {@link Scheduler} */
    boolean apply(Session session) {
        return applyTo(session);
    }

    /** As {@link #apply}, for any object shaped like Tyrus's session. */
    boolean applyTo(Object session) {
        if (scheduler == null) {
            return false;
        }
        Field field = field(session.getClass(), FIELD);
        if (field == null || field.getType() != ScheduledExecutorService.class) {
            unavailable(session, "it has no ScheduledExecutorService field '" + FIELD + "'");
            return false;
        }
        try {
            field.set(session, scheduler);
            return true;
        } catch (RuntimeException | IllegalAccessException e) {
            unavailable(session, e.toString());
            return false;
        }
    }

    private void unavailable(Object session, String why) {
        warning.warn(() -> "ROWCAST-094: cannot take the idle timer of " + session.getClass().getName()
                + " off the container's scheduler (" + why + "); every send pays for re-arming it. Delivery "
                + "is correct, only slower. Fix: none needed; set rowcast.outbound.idleTimerBypass to false to "
                + "silence this.");
    }

    public void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /**
     * A session's scheduler. Tyrus schedules the idle-timeout check with the session's idle timeout as its delay, and
     * the check does nothing when that timeout is 0 or less; so such a schedule returns a finished future at once,
     * without a task, a thread hop or a context capture. Everything else (a positive idle timeout, heartbeats) runs
     * here as usual.
     */
    static final class Scheduler extends ScheduledThreadPoolExecutor {

        private final Runnable skipped;

        Scheduler(ThreadFactory threads, Runnable skipped) {
            super(1, runnable -> {
                Thread thread = threads.newThread(runnable);
                thread.setName("rowcast-idle-timers");
                thread.setDaemon(true);
                return thread;
            });
            setRemoveOnCancelPolicy(true); // a re-armed timer's cancelled task must not stay queued until its delay
            this.skipped = skipped;
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            if (delay <= 0 && isIdleTimeoutCheck(command)) {
                skipped.run();
                return Done.INSTANCE;
            }
            try {
                return super.schedule(command, delay, unit);
            } catch (RejectedExecutionException e) {
                return Done.INSTANCE; // undeployed: the sockets are closing, and Tyrus must not fail a send for this
            }
        }

        private static boolean isIdleTimeoutCheck(Runnable command) {
            return command.getClass().getName().endsWith("$IdleTimeoutCommand");
        }
    }

    /** The future of a check that had nothing to do. */
    private static final class Done implements ScheduledFuture<Object> {

        static final Done INSTANCE = new Done();

        @Override
        public long getDelay(TimeUnit unit) {
            return 0;
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(0, other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return false;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean isDone() {
            return true;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }
}
