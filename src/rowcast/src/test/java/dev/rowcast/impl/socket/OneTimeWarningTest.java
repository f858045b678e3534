package dev.rowcast.impl.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The once-only warning of the container workarounds. */
class OneTimeWarningTest {

    private final Logger logger = Logger.getLogger(OneTimeWarningTest.class.getName());
    private final LogCapture log = new LogCapture(OneTimeWarningTest.class);
    private final OneTimeWarning warning = new OneTimeWarning(logger);

    @BeforeEach
    void listen() {
        log.attach();
        logger.setUseParentHandlers(false); // the test's own warnings need not reach the console
    }

    @AfterEach
    void stop() {
        logger.setUseParentHandlers(true);
        log.detach();
    }

    @Test
    void should_log_the_first_call_only() {
        assertTrue(warning.warn(() -> "ROWCAST-000: first"));
        assertFalse(warning.warn(() -> "ROWCAST-000: second"));
        assertFalse(warning.warn(() -> {
            throw new AssertionError("a later message is not even built");
        }));

        assertEquals(List.of("ROWCAST-000: first"), log.messages());
        LogRecord record = log.records().get(0);
        assertEquals(Level.WARNING, record.getLevel());
        assertEquals(OneTimeWarningTest.class.getName(), record.getLoggerName());
        assertEquals(OneTimeWarningTest.class.getName(), record.getSourceClassName(), "the caller, as before");
        assertEquals("should_log_the_first_call_only", record.getSourceMethodName());
        assertNull(record.getThrown());
    }

    @Test
    void should_log_the_throwable_with_the_message() {
        IllegalStateException thrown = new IllegalStateException("no such field");
        assertTrue(warning.warn(() -> "ROWCAST-000: with cause", thrown));
        assertFalse(warning.warn(() -> "ROWCAST-000: again", new IllegalStateException()));

        assertEquals(List.of("ROWCAST-000: with cause"), log.messages());
        assertSame(thrown, log.records().get(0).getThrown());
    }

    @Test
    void should_keep_separate_warnings_apart() {
        OneTimeWarning other = new OneTimeWarning(logger);
        assertTrue(warning.warn(() -> "ROWCAST-000: one"));
        assertTrue(other.warn(() -> "ROWCAST-000: other"));
        assertEquals(List.of("ROWCAST-000: one", "ROWCAST-000: other"), log.messages());
    }

    @Test
    void should_let_exactly_one_of_concurrent_callers_log() throws Exception {
        int callers = 8;
        ExecutorService threads = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> calls = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                String message = "ROWCAST-000: caller " + i;
                calls.add(threads.submit(() -> {
                    start.await();
                    return warning.warn(() -> message);
                }));
            }
            start.countDown();
            int logged = 0;
            for (Future<Boolean> call : calls) {
                logged += call.get(10, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertEquals(1, logged);
            assertEquals(1, log.messages().size(), log.messages().toString());
        } finally {
            threads.shutdownNow();
        }
    }
}
