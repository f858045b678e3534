package dev.rowcast.impl.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The idle-timer bypass against objects shaped like Tyrus's session, with and without the field it replaces. */
class IdleTimerBypassTest {

    /** Shaped like TyrusSession: the scheduler its idle timer and heartbeats use. */
    static class TyrusLikeSession {
        private ScheduledExecutorService service;

        TyrusLikeSession(ScheduledExecutorService service) {
            this.service = service;
        }
    }

    /** Another container's session, or a Tyrus that renamed the field. */
    static class OtherSession {
        private ScheduledExecutorService scheduler = null;
    }

    /** Named like Tyrus's check, which does nothing when the session has no idle timeout. */
    static final class IdleTimeoutCommand implements Runnable {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        public void run() {
            runs.incrementAndGet();
        }
    }

    private final ScheduledExecutorService managed = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger skipped = new AtomicInteger();
    private final IdleTimerBypass bypass = IdleTimerBypass.create(Thread::new, skipped::incrementAndGet);
    private final LogCapture log = new LogCapture(IdleTimerBypass.class);
    private final List<String> warnings = log.messages();

    @BeforeEach
    void listen() {
        log.attach();
    }

    @AfterEach
    void stop() {
        log.detach();
        bypass.stop();
        managed.shutdownNow();
    }

    @Test
    void should_skip_a_rearm_without_idle_timeout_and_run_everything_else_on_its_own_thread() throws Exception {
        TyrusLikeSession session = new TyrusLikeSession(managed);
        assertTrue(bypass.applyTo(session));
        ScheduledExecutorService replaced = session.service;
        assertFalse(replaced == managed, "the session's scheduler was replaced");

        IdleTimeoutCommand noTimeout = new IdleTimeoutCommand();
        ScheduledFuture<?> future = replaced.schedule(noTimeout, 0, TimeUnit.MILLISECONDS);
        assertTrue(future.isDone());
        assertFalse(future.cancel(false), "cancelling it, as the next re-arm does, is harmless");
        assertEquals(1, skipped.get());

        IdleTimeoutCommand withTimeout = new IdleTimeoutCommand();
        replaced.schedule(withTimeout, 20, TimeUnit.MILLISECONDS);
        CountDownLatch other = new CountDownLatch(1);
        replaced.schedule(other::countDown, 0, TimeUnit.MILLISECONDS);
        assertTrue(other.await(5, TimeUnit.SECONDS), "tasks that are not the idle check run, even without delay");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (withTimeout.runs.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(1, withTimeout.runs.get(), "a real idle timeout still fires");
        assertEquals(0, noTimeout.runs.get());
        assertEquals(1, skipped.get());
        assertTrue(warnings.isEmpty());
    }

    @Test
    void should_leave_a_session_without_the_field_alone_and_say_so_once() {
        OtherSession first = new OtherSession();
        assertFalse(bypass.applyTo(first));
        assertFalse(bypass.applyTo(new OtherSession()));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("ROWCAST-094: "), warnings.get(0));
        assertTrue(warnings.get(0).contains(OtherSession.class.getName()));
        assertEquals(null, first.scheduler);
    }

    @Test
    void should_change_nothing_when_the_setting_is_off() {
        TyrusLikeSession session = new TyrusLikeSession(managed);
        assertFalse(IdleTimerBypass.off().applyTo(session));
        assertSame(managed, session.service);
        assertTrue(warnings.isEmpty());
    }

    @Test
    void should_not_fail_a_send_after_undeployment() {
        TyrusLikeSession session = new TyrusLikeSession(managed);
        bypass.applyTo(session);
        bypass.stop();
        assertTrue(session.service.schedule(new IdleTimeoutCommand(), 30, TimeUnit.SECONDS).isDone());
    }
}
