package dev.rowcast.impl.metrics;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Every figure Rowcast keeps about itself, for the metrics endpoint and the admin page. Labels come from small fixed
 * sets (channels, close codes, error codes), never from users or scope values. docs/operations.md lists the names.
 * <p>
 * Hot paths only increment: counters are atomic adds, the lag is recorded once per (change, stream), never per
 * subscriber, and nothing here allocates per frame.
 */
public final class RowcastMetrics {

    /** Close codes counted under their own label; any other is counted as {@code other}. */
    static final int[] CLOSE_CODES = {1000, 1001, 1006, 1008, 1009, 1011, 4401, 4408, 4429, 4499};
    /** Bounds of the lag and snapshot buckets the admin page reads, in milliseconds. */
    static final long[] MILLIS_BOUNDS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000};
    private static final int RECENT_CLOSES = 20;

    /** A close, for the admin page's list of recent ones: when and with which code, not whose. */
    public record Close(long epochMillis, int code) {
    }

    private final Meters meters;
    private final Counter opened;
    private final Counter[] closedByCode = new Counter[CLOSE_CODES.length + 1];
    private final Map<String, ChannelMeters> channels = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Counter inbound;
    private final Histogram lag;
    private final Buckets lagBuckets = new Buckets(MILLIS_BOUNDS);
    private final Counter replayServed;
    private final Counter replayedEvents;
    private final Counter replayUnavailable;
    private final Histogram snapshotMillis;
    private final Counter backpressurePauses;
    private final Counter fellBehind;
    private final Counter dropped;
    private final ArrayDeque<Close> recentCloses = new ArrayDeque<>();
    private final Counter coalescedMessages;
    private final Counter coalescedFrames;
    private final Counter idleTimerBypassed;
    private final Counter preframedSockets;
    private final Counter idleTimerRearmsSkipped;
    private final Counter upgradeRequestsReleased;
    private final Counter writeBuffersShrunk;

    public RowcastMetrics(Meters meters) {
        this.meters = meters;
        opened = meters.counter("rowcast_connections_opened", "Sockets opened", null, null);
        for (int i = 0; i < CLOSE_CODES.length; i++) {
            closedByCode[i] = closedCounter(String.valueOf(CLOSE_CODES[i]));
        }
        closedByCode[CLOSE_CODES.length] = closedCounter("other");
        meters.gauge("rowcast_connections_open", "Sockets open now", null, null, this::connectionsOpen);
        inbound = meters.counter("rowcast_inbound_messages", "Client frames received (text and binary)", null, null);
        lag = meters.histogram("rowcast_commit_to_send_lag", "From a transaction's commit to its change being handed "
                + "to the sockets of one stream; once per (change, stream)", "milliseconds");
        replayServed = meters.counter("rowcast_replay_served", "Subscribes with a cursor answered by replay", null,
                null);
        replayedEvents = meters.counter("rowcast_replay_events", "Changes sent by replay", null, null);
        replayUnavailable = meters.counter("rowcast_replay_unavailable", "Cursors that could not be replayed, and "
                + "streams reset after lost changes (replay_unavailable sent)", null, null);
        snapshotMillis = meters.histogram("rowcast_snapshot_duration", "Time to read one snapshot from the database",
                "milliseconds");
        backpressurePauses = meters.counter("rowcast_backpressure_pauses", "Times a socket's send window was full "
                + "and sending waited for the client's pong", null, null);
        fellBehind = meters.counter("rowcast_fell_behind_closes", "Sockets closed with 4499: the client read too "
                + "slowly", null, null);
        dropped = meters.counter("rowcast_changes_dropped", "Committed changes dropped on overload (streams reset); "
                + "must stay 0", null, null);
        coalescedMessages = meters.counter("rowcast_coalesced_messages", "frames messages sent to rowcast.v2 "
                + "clients: several queued frames as one WebSocket message", null, null);
        coalescedFrames = meters.counter("rowcast_coalesced_frames", "Frames sent inside frames messages", null,
                null);
        idleTimerBypassed = meters.counter("rowcast_idle_timer_bypassed", "Sockets whose idle timer was taken off "
                + "the container's managed scheduler (rowcast.outbound.idleTimerBypass)", null, null);
        preframedSockets = meters.counter("rowcast_preframed_sockets", "Sockets that send frames encoded once for "
                + "all their receivers (rowcast.outbound.preframed)", null, null);
        idleTimerRearmsSkipped = meters.counter("rowcast_idle_timer_rearms_skipped", "Idle-timer re-arms that cost "
                + "nothing because the socket has no idle timeout (one per message received, and per message sent "
                + "unless pre-framed)", null, null);
        writeBuffersShrunk = meters.counter("rowcast_write_buffers_shrunk", "WebSocket handshakes whose container "
                + "write buffer was made small (rowcast.outbound.smallWriteBuffer)", null, null);
        upgradeRequestsReleased = meters.counter("rowcast_upgrade_requests_released", "Sockets whose HTTP upgrade "
                + "request the container kept was let go once open (rowcast.connection.releaseUpgradeRequest)", null,
                null);
    }

    /** Kept in this JVM only: for servers without MicroProfile Metrics, and for tests. */
    public static RowcastMetrics local() {
        return new RowcastMetrics(Meters.local());
    }

    private Counter closedCounter(String code) {
        return meters.counter("rowcast_connections_closed", "Sockets closed, by close code", "code", code);
    }

    /** For figures other components add later (capture, cluster), under the same registry. */
    public Meters meters() {
        return meters;
    }

    public void close() {
        meters.close();
    }

    // --- connections ---

    /** Several queued frames went out as one {@code frames} message. */
    public void coalesced(int frames) {
        coalescedMessages.inc();
        coalescedFrames.inc(frames);
    }

    public void idleTimerBypassed() {
        idleTimerBypassed.inc();
    }

    public long idleTimersBypassed() {
        return idleTimerBypassed.count();
    }

    public void preframedSocket() {
        preframedSockets.inc();
    }

    public long preframedSockets() {
        return preframedSockets.count();
    }

    public void writeBufferShrunk() {
        writeBuffersShrunk.inc();
    }

    public void upgradeRequestReleased() {
        upgradeRequestsReleased.inc();
    }

    public void idleTimerRearmSkipped() {
        idleTimerRearmsSkipped.inc();
    }

    public void opened() {
        opened.inc();
    }

    public void closed(int code) {
        int i = 0;
        while (i < CLOSE_CODES.length && CLOSE_CODES[i] != code) {
            i++;
        }
        closedByCode[i].inc();
        synchronized (recentCloses) { // closes are rare next to frames
            if (recentCloses.size() == RECENT_CLOSES) {
                recentCloses.removeFirst();
            }
            recentCloses.addLast(new Close(System.currentTimeMillis(), code));
        }
    }

    public long connectionsOpened() {
        return opened.count();
    }

    public long connectionsClosed() {
        long closed = 0;
        for (Counter counter : closedByCode) {
            closed += counter.count();
        }
        return closed;
    }

    public long connectionsOpen() {
        return Math.max(0, connectionsOpened() - connectionsClosed());
    }

    /** Closes so far by code ({@code other} for the rest). */
    public Map<String, Long> closesByCode() {
        Map<String, Long> byCode = new java.util.LinkedHashMap<>();
        for (int i = 0; i < CLOSE_CODES.length; i++) {
            byCode.put(String.valueOf(CLOSE_CODES[i]), closedByCode[i].count());
        }
        byCode.put("other", closedByCode[CLOSE_CODES.length].count());
        return byCode;
    }

    /** The latest closes, oldest first. */
    public List<Close> recentCloses() {
        synchronized (recentCloses) {
            return List.copyOf(recentCloses);
        }
    }

    // --- channels ---

    /** The channel's meters; created on first use (channels are fixed at deployment). */
    public ChannelMeters channel(String channel) {
        return channels.computeIfAbsent(channel, c -> new ChannelMeters(c, meters));
    }

    public Collection<ChannelMeters> channels() {
        return List.copyOf(channels.values());
    }

    // --- inbound and errors ---

    public void inbound() {
        inbound.inc();
    }

    public long inboundMessages() {
        return inbound.count();
    }

    /** Registers the error codes up front, so that each is scraped as 0 before it first happens. */
    public void knownErrors(Collection<String> codes) {
        codes.forEach(this::errorCounter);
    }

    /** An error frame with this code went to a client. */
    public void error(String code) {
        errorCounter(code).inc();
    }

    private Counter errorCounter(String code) {
        return errors.computeIfAbsent(code, c -> meters.counter("rowcast_errors", "Error frames sent, by code", "code",
                c));
    }

    public Map<String, Long> errorsByCode() {
        Map<String, Long> byCode = new java.util.TreeMap<>();
        errors.forEach((code, counter) -> byCode.put(code, counter.count()));
        return byCode;
    }

    // --- dispatch ---

    /** A change was handed to one stream's subscribers {@code nanos} after its transaction committed. */
    public void lag(long nanos) {
        long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
        lag.record(millis);
        lagBuckets.record(millis);
    }

    public Buckets lagBuckets() {
        return lagBuckets;
    }

    /** Gauges of the dispatch queue, read when scraped. */
    public void queue(LongSupplier tasks, LongSupplier bytes) {
        meters.gauge("rowcast_dispatch_queue_tasks", "Tasks waiting for the dispatch thread", null, null, tasks);
        meters.gauge("rowcast_dispatch_queue_bytes", "Estimated bytes of those tasks", null, null, bytes);
    }

    public void replayServed(int events) {
        replayServed.inc();
        replayedEvents.inc(events);
    }

    public void replayUnavailable() {
        replayUnavailable.inc();
    }

    public long replayServed() {
        return replayServed.count();
    }

    public long replayUnavailableCount() {
        return replayUnavailable.count();
    }

    public void snapshot(long nanos) {
        snapshotMillis.record(TimeUnit.NANOSECONDS.toMillis(nanos));
    }

    public void dropped(long changes) {
        if (changes > 0) {
            dropped.inc(changes);
        }
    }

    public long droppedChanges() {
        return dropped.count();
    }

    // --- sockets ---

    public void backpressurePause() {
        backpressurePauses.inc();
    }

    public long backpressurePauses() {
        return backpressurePauses.count();
    }

    public void fellBehind() {
        fellBehind.inc();
    }

    public long fellBehindCloses() {
        return fellBehind.count();
    }
}
