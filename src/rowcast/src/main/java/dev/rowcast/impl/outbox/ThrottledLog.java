package dev.rowcast.impl.outbox;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * A warning per id at most every ten seconds, with how many were left out since: a plug-in failing on every payload
 * must not flood the log.
 */
final class ThrottledLog {

    private static final long EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Logger log;
    private final Map<String, long[]> byId = new ConcurrentHashMap<>();

    ThrottledLog(Logger log) {
        this.log = log;
    }

    void warning(String id, Supplier<String> message) {
        long now = System.nanoTime();
        long[] state = byId.computeIfAbsent(id, key -> new long[] { now - EVERY_NANOS, 0 });
        synchronized (state) {
            if (now - state[0] < EVERY_NANOS) {
                state[1]++;
                return;
            }
            long left = state[1];
            state[0] = now;
            state[1] = 0;
            log.warning(() -> message.get() + (left > 0 ? " (" + left + " more like it in the last 10 s not logged)"
                    : ""));
        }
    }
}
