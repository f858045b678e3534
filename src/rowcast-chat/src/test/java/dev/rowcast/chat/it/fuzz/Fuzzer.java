package dev.rowcast.chat.it.fuzz;

import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import dev.rowcast.chat.it.support.ChatApi;

/**
 * A whole fuzz run against one deployment: the honest side starts, the heap is measured, the workers send their
 * frames, the honest side is checked, the heap is measured again.
 */
public final class Fuzzer {

    /** The conversations of the run: the honest one, one of alice and bob, one of eve alone. */
    public record Conversations(long honest, long shared, long evesOwn) {
    }

    /** Everything the report needs; the histograms are the server's classes by live bytes, before and after. */
    public record Run(FuzzSettings settings, FuzzStats stats, Honest.Result honest, long heapBefore, long heapAfter,
            double fuzzSeconds, double totalSeconds, String histogramBefore, String histogramAfter) {
    }

    private Fuzzer() {
    }

    /**
     * @param heap the server's heap used after a full GC, in bytes
     * @param histogram the server's class histogram after a full GC (its top)
     */
    public static Run run(URL base, FuzzSettings settings, Conversations conversations, LongSupplier heap,
            java.util.function.Supplier<String> histogram) throws Exception {
        long started = System.nanoTime();
        FuzzStats stats = new FuzzStats(settings.maxViolations());
        AtomicBoolean stop = new AtomicBoolean();
        Honest honest = new Honest(base, conversations.honest(), stats, settings, stop);
        honest.start();
        Oracle oracle = new Oracle(members(new ChatApi(base)), FuzzSettings.MAX_SUBSCRIPTIONS);
        Generator.World world = new Generator.World(conversations.honest(), conversations.shared(),
                conversations.evesOwn(), honest.epoch());
        long fuzzStart = System.nanoTime();
        // a warm-up first (workers numbered after the others): the server's thread pools and their buffers grow to
        // the load, which is not what the heap bound is about
        fuzz(base, settings, warmup(settings), settings.sockets(), stats, stop, oracle, world);
        long heapBefore = heap.getAsLong();
        String histogramBefore = histogram.get();
        fuzz(base, settings, settings.frames(), 0, stats, stop, oracle, world);
        double fuzzSeconds = (System.nanoTime() - fuzzStart) / 1e9;
        Honest.Result result = honest.finish();
        Thread.sleep(1000); // let the server finish closing the last sockets
        long heapAfter = heap.getAsLong();
        String histogramAfter = histogram.get();
        return new Run(settings, stats, result, heapBefore, heapAfter, fuzzSeconds,
                (System.nanoTime() - started) / 1e9, histogramBefore, histogramAfter);
    }

    static long warmup(FuzzSettings settings) {
        return Math.min(settings.warmupFrames(), settings.frames() / 5);
    }

    private static void fuzz(URL base, FuzzSettings settings, long frames, int firstNumber, FuzzStats stats,
            AtomicBoolean stop, Oracle oracle, Generator.World world) throws InterruptedException {
        AtomicLong budget = new AtomicLong(frames);
        List<Thread> threads = new ArrayList<>();
        for (int number = firstNumber; number < firstNumber + settings.sockets(); number++) {
            if (settings.worker() >= 0 && settings.worker() != number) {
                continue;
            }
            threads.add(new Thread(new Worker(number, settings, stats, budget, stop, base.getPort(), oracle, world),
                    "fuzz-worker-" + number));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
    }

    /**
     * Who is a member of which conversation, as the API tells each user: the server may hold conversations of
     * earlier suites too, and scope values such as 1 or 2.0 reach them.
     */
    static Map<Long, Set<String>> members(ChatApi api) {
        Map<Long, Set<String>> members = new HashMap<>();
        for (String user : List.of("alice", "bob", "eve")) {
            ChatApi.Reply reply = api.as(user).call("GET", "api/conversations", null);
            if (reply.status() != 200) {
                throw new IllegalStateException("GET api/conversations as " + user + ": " + reply.status());
            }
            reply.json().asJsonArray().forEach(c -> members.computeIfAbsent(
                    c.asJsonObject().getJsonNumber("id").longValue(), id -> new HashSet<>()).add(user));
        }
        return members;
    }

    /** The report, as plain text. */
    public static String report(Run run) {
        FuzzSettings s = run.settings();
        FuzzStats stats = run.stats();
        StringBuilder out = new StringBuilder();
        out.append("Rowcast protocol fuzz run\n");
        out.append(String.format("  seed %d, %,d frames over %d sockets%s, skipped: %s%n", s.seed(), stats.frames(),
                s.sockets(), s.worker() >= 0 ? " (worker " + s.worker() + " only)" : "",
                s.skip().isEmpty() ? "none" : String.join(",", s.skip().stream().sorted().toList())));
        out.append(String.format("  fuzzing %.1f s (%,.0f frames/s), whole run %.1f s%n", run.fuzzSeconds(),
                stats.frames() / Math.max(0.001, run.fuzzSeconds()), run.totalSeconds()));
        out.append("  replay: ").append(s.command(-1)).append('\n');
        section(out, "frames by generator", stats.framesByGenerator());
        section(out, "errors by code", stats.errorsByCode());
        section(out, "closes by code", stats.closesByCode());
        section(out, "counts", stats.counts());
        Honest.Result h = run.honest();
        out.append(String.format("honest clients: %,d messages posted; %,d changes received live, %,d replayed, "
                + "%d reconnects, %d resyncs (replay_unavailable + snapshot), %d skipped by a resync snapshot; "
                + "changes lost: %d%n", h.posted(), h.live(), h.replayed(), h.reconnects(), h.resyncs(),
                h.skippedByResync(), h.lost()));
        h.perClient().forEach(c -> out.append("  ").append(c).append('\n'));
        out.append(String.format("server heap after full GC: before %.1f MB (after a warm-up of %,d frames), after"
                + " %.1f MB (%+.1f MB; bound +%d MB)%n", run.heapBefore() / 1048576.0, warmup(s),
                run.heapAfter() / 1048576.0,
                (run.heapAfter() - run.heapBefore()) / 1048576.0, s.heapBoundMb()));
        out.append("server classes by live bytes, before:\n").append(run.histogramBefore().indent(2));
        out.append("and after:\n").append(run.histogramAfter().indent(2));
        out.append("violations: ").append(stats.violationCount());
        if (stats.violationCount() > 0) {
            out.append(' ').append(stats.violationsByKind());
        }
        out.append('\n');
        stats.violations().forEach(v -> out.append("- ").append(v).append('\n'));
        return out.toString();
    }

    private static void section(StringBuilder out, String title, Map<String, Long> counts) {
        out.append(title).append(":\n");
        counts.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> out.append(String.format("  %-44s %,12d%n", e.getKey(), e.getValue())));
    }
}
