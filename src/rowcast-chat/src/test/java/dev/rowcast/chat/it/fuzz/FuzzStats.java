package dev.rowcast.chat.it.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** What a fuzz run counted, and what it found wrong. Shared by all workers. */
public final class FuzzStats {

    /** A broken rule, with what led to it. */
    public record Violation(String what, String where, String context) {

        @Override
        public String toString() {
            return what + "\n    at " + where + (context.isEmpty() ? "" : "\n" + context);
        }
    }

    private final Map<String, LongAdder> framesByGenerator = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errorsByCode = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> closesByCode = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> violationsByKind = new ConcurrentHashMap<>();
    private final LongAdder frames = new LongAdder();
    private final ConcurrentLinkedQueue<Violation> violations = new ConcurrentLinkedQueue<>();
    private final AtomicInteger violationCount = new AtomicInteger();
    private final int keep;

    FuzzStats(int keep) {
        this.keep = keep;
    }

    void frame(String generator) {
        frames.increment();
        add(framesByGenerator, generator);
    }

    void error(String code) {
        add(errorsByCode, code);
    }

    void close(String code) {
        add(closesByCode, code);
    }

    void count(String what) {
        add(counts, what);
    }

    /**
     * Records a violation. {@code kind} groups them in the report (the generator or feature that found it); the
     * first {@code keep} are kept whole.
     */
    void violation(String kind, String what, String where, String context) {
        add(violationsByKind, kind);
        if (violationCount.incrementAndGet() <= keep) {
            violations.add(new Violation("[" + kind + "] " + what, where, context));
        }
    }

    private static void add(Map<String, LongAdder> map, String key) {
        map.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    public long frames() {
        return frames.sum();
    }

    public int violationCount() {
        return violationCount.get();
    }

    public List<Violation> violations() {
        return new ArrayList<>(violations);
    }

    public Map<String, Long> framesByGenerator() {
        return sorted(framesByGenerator);
    }

    public Map<String, Long> errorsByCode() {
        return sorted(errorsByCode);
    }

    public Map<String, Long> closesByCode() {
        return sorted(closesByCode);
    }

    public Map<String, Long> counts() {
        return sorted(counts);
    }

    public Map<String, Long> violationsByKind() {
        return sorted(violationsByKind);
    }

    private static Map<String, Long> sorted(Map<String, LongAdder> map) {
        Map<String, Long> out = new TreeMap<>();
        map.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
