package dev.rowcast.chat.it.fuzz;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The fuzz run's settings, from system properties ({@code mvn ... -Dfuzz.frames=1000000 -Dfuzz.seed=42}).
 *
 * @param seed every worker's frames follow from it and the worker's number
 * @param frames frames to send in all (data, continuation, control and close frames)
 * @param sockets workers, each with one socket open at a time
 * @param worker run only this worker (to replay a failure), or -1 for all
 * @param skip generators and features left out; by default the ones known to fail ({@link Fuzz#KNOWN_FAILING})
 * @param floodOneIn one episode in this many is a flood past the rate limit
 * @param warmupFrames frames sent before the first heap measurement (at most a fifth of {@code frames})
 */
public record FuzzSettings(long seed, long frames, int sockets, int worker, Set<String> skip, int pacePerSecond,
        int replyTimeoutMillis, int maxViolations, int writesPerSecond, int heapBoundMb, int floodOneIn,
        long warmupFrames) {

    /**
     * The fuzz deployment's inbound limits per socket (rowcast.inbound.*, the defaults): low enough for a flood to
     * pass them even on a busy server; workers pace themselves far below.
     */
    public static final int SERVER_RATE = 100;
    public static final int SERVER_BURST = 300;
    public static final int STRIKES = 50;
    public static final int MAX_FRAME_BYTES = 65_536;
    public static final int MAX_SUBSCRIPTIONS = 256;

    public static FuzzSettings fromSystemProperties() {
        String skip = System.getProperty("fuzz.skip", Fuzz.KNOWN_FAILING).trim();
        Set<String> skipped = skip.equals("none") || skip.isEmpty() ? Set.of()
                : Arrays.stream(skip.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                        .collect(Collectors.toUnmodifiableSet());
        return new FuzzSettings(
                Long.getLong("fuzz.seed", 20261129L),
                Long.getLong("fuzz.frames", 30_000L),
                Integer.getInteger("fuzz.sockets", 64),
                Integer.getInteger("fuzz.worker", -1),
                skipped,
                Integer.getInteger("fuzz.pacePerSecond", 25),
                Integer.getInteger("fuzz.replyTimeoutMillis", 15_000),
                Integer.getInteger("fuzz.maxViolations", 25),
                Integer.getInteger("fuzz.writesPerSecond", 10),
                Integer.getInteger("fuzz.heapBoundMb", 64),
                Integer.getInteger("fuzz.floodOneIn", 300),
                Long.getLong("fuzz.warmupFrames", 3_000L));
    }

    /** The Maven command that replays this run, or one of its workers. */
    String command(int onlyWorker) {
        return "mvn -B verify -pl src/rowcast-chat -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false"
                + " -Dit.test=FuzzIT -Dfuzz.seed=" + seed + " -Dfuzz.frames=" + frames
                + (onlyWorker >= 0 ? " -Dfuzz.worker=" + onlyWorker : " -Dfuzz.sockets=" + sockets)
                + (floodOneIn == 300 ? "" : " -Dfuzz.floodOneIn=" + floodOneIn)
                + " -Dfuzz.skip=" + (skip.isEmpty() ? "none" : String.join(",", skip.stream().sorted().toList()));
    }
}
