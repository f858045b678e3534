package dev.rowcast.impl.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import dev.rowcast.RowcastConfigurationException;

/**
 * Settings read from web.xml context-params. Every setting and its default is listed in docs/configuration.md; a bad
 * value fails the deployment with a message naming the parameter.
 */
public record RowcastSettings(String endpointPath, int maxFrameBytes, int maxSubscriptionsPerConnection,
        int dispatchQueueCapacity, int replayFramesPerStream, int replayMaxStreams, int ticketTimeoutMillis,
        List<String> securityRoles, List<String> allowedOrigins, int maxQueuedBytes, int heartbeatIntervalMillis,
        int heartbeatTimeoutMillis, int inboundRatePerSecond, int inboundBurst, int rateLimitStrikes,
        int shutdownFlushMillis, int maxConnectionAgeSeconds, int authorizerTimeoutMillis, EngineLimits engine,
        Admin admin, List<String> captureDatabase, boolean captureInstallTriggers, String captureSqlFile,
        int captureRetentionSeconds, int capturePollMillis, Talk talk, Cluster cluster, Outbound outbound,
        boolean releaseUpgradeRequest, Container container) {

    /**
     * Settings of clients that talk back: presence, broadcasts, proposals. One component, so the settings of the
     * engine and these grow apart.
     */
    public record Talk(int broadcastMaxBytes, int broadcastThrottleMillis, List<String> broadcastDisabledChannels,
            int presenceMaxMembers, int presenceSweepMillis, int proposalThreads, int proposalMaxQueued,
            int presenceTtlMillis) {

        public Talk {
            broadcastDisabledChannels = List.copyOf(broadcastDisabledChannels);
        }
    }

    public static final String ENDPOINT_PATH = "rowcast.endpoint.path";
    public static final String MAX_FRAME_BYTES = "rowcast.inbound.maxFrameBytes";
    public static final String MAX_SUBSCRIPTIONS = "rowcast.connection.maxSubscriptions";
    public static final String DISPATCH_QUEUE_CAPACITY = "rowcast.dispatch.queueCapacity";
    public static final String REPLAY_FRAMES_PER_STREAM = "rowcast.replay.framesPerStream";
    public static final String REPLAY_MAX_STREAMS = "rowcast.replay.maxStreams";
    public static final String TICKET_TIMEOUT_MILLIS = "rowcast.dispatch.commitOrderTimeoutMillis";
    public static final String SECURITY_ROLES = "rowcast.security.roles";
    public static final String ALLOWED_ORIGINS = "rowcast.security.allowedOrigins";
    public static final String MAX_QUEUED_BYTES = "rowcast.outbound.maxQueuedBytes";
    public static final String HEARTBEAT_INTERVAL = "rowcast.heartbeat.intervalMillis";
    public static final String HEARTBEAT_TIMEOUT = "rowcast.heartbeat.timeoutMillis";
    public static final String INBOUND_RATE = "rowcast.inbound.ratePerSecond";
    public static final String INBOUND_BURST = "rowcast.inbound.burst";
    public static final String RATE_LIMIT_STRIKES = "rowcast.inbound.rateLimitStrikes";
    public static final String SHUTDOWN_FLUSH = "rowcast.shutdown.flushMillis";
    public static final String MAX_CONNECTION_AGE = "rowcast.security.maxConnectionAgeSeconds";
    public static final String AUTHORIZER_TIMEOUT = "rowcast.security.authorizerTimeoutMillis";
    public static final String BROADCAST_MAX_BYTES = "rowcast.broadcast.maxBytes";
    public static final String BROADCAST_THROTTLE = "rowcast.broadcast.throttleMillis";
    public static final String BROADCAST_DISABLED = "rowcast.broadcast.disabledChannels";
    public static final String PRESENCE_MAX_MEMBERS = "rowcast.presence.maxMembers";
    public static final String PRESENCE_SWEEP = "rowcast.presence.sweepMillis";
    public static final String PRESENCE_TTL = "rowcast.presence.ttlMillis";
    public static final String PROPOSAL_THREADS = "rowcast.proposal.threads";
    public static final String PROPOSAL_MAX_QUEUED = "rowcast.proposal.maxQueued";

    // --- engine bounds: memory in bytes, stuck work, catch-up cost (docs/configuration.md, "Engine bounds") ---
    public static final String DISPATCH_MAX_QUEUED_BYTES = "rowcast.dispatch.maxQueuedBytes";
    public static final String DISPATCH_STUCK_MILLIS = "rowcast.dispatch.stuckMillis";
    /** How long the dispatch thread waits for more work, without being woken, after finding some. */
    public static final String DISPATCH_BATCH_WAIT_MICROS = "rowcast.dispatch.batchWaitMicros";
    /** How long after running out of work the dispatch thread keeps waiting, in batch waits, before it sleeps. */
    public static final String DISPATCH_LINGER_WINDOW_MICROS = "rowcast.dispatch.lingerWindowMicros";
    public static final String DISPATCH_MAX_LOST_STREAMS = "rowcast.dispatch.maxLostStreams";
    public static final String REPLAY_MAX_BYTES = "rowcast.replay.maxBytes";
    public static final String REPLAY_MAX_BYTES_PER_STREAM = "rowcast.replay.maxBytesPerStream";
    public static final String CAPTURE_MAX_TRANSACTION_BYTES = "rowcast.capture.maxTransactionBytes";
    public static final String CATCH_UP_EVENTS_PER_SECOND = "rowcast.catchUp.eventsPerSecond";
    public static final String CATCH_UP_EVENTS_BURST = "rowcast.catchUp.eventsBurst";
    public static final String CATCH_UP_SNAPSHOTS_PER_SECOND = "rowcast.catchUp.snapshotsPerSecond";
    public static final String CATCH_UP_SNAPSHOTS_BURST = "rowcast.catchUp.snapshotsBurst";
    public static final String MAX_PENDING_REQUESTS = "rowcast.connection.maxPendingRequests";
    public static final String MAX_PENDING_BYTES = "rowcast.connection.maxPendingBytes";
    /** Whether each socket's HTTP upgrade request is let go once open (docs/architecture.md, "Platform notes"). */
    public static final String RELEASE_UPGRADE_REQUEST = "rowcast.connection.releaseUpgradeRequest";

    // --- sending (docs/configuration.md, "Sending") ---
    public static final String OUTBOUND_SENDERS = "rowcast.outbound.senders";
    public static final String OUTBOUND_MAX_BATCH_BYTES = "rowcast.outbound.maxBatchBytes";
    public static final String OUTBOUND_IDLE_TIMER_BYPASS = "rowcast.outbound.idleTimerBypass";
    public static final String OUTBOUND_SMALL_WRITE_BUFFER = "rowcast.outbound.smallWriteBuffer";
    public static final String OUTBOUND_PREFRAMED = "rowcast.outbound.preframed";

    /**
     * How frames leave the server.
     *
     * @param senders threads that write to sockets; 0 means one per core
     * @param maxBatchBytes the most characters of queued frames sent as one {@code frames} message to a client that
     *         negotiated {@code rowcast.v2}
     * @param idleTimerBypass whether Tyrus's per-message idle-timer re-arm is taken off the container's managed
     *         scheduler (docs/architecture.md, "Platform notes")
     * @param smallWriteBuffer whether each handshake's response gets Grizzly's smallest write buffer, which Payara
     *         otherwise allocates anew (8 KB) for every message sent (docs/architecture.md, "Platform notes")
     * @param preframed whether a frame that several sockets get is encoded as WebSocket bytes once and written to
     *         each as it is, where the container would encode it again per socket (docs/architecture.md, "Platform
     *         notes")
     */
    public record Outbound(int senders, int maxBatchBytes, boolean idleTimerBypass, boolean smallWriteBuffer,
            boolean preframed) {

        /** The number of sender threads to start. */
        public int senderThreads() {
            return senders > 0 ? senders : Math.max(1, Runtime.getRuntime().availableProcessors());
        }

        static Outbound read(Function<String, String> parameters, List<String> problems) {
            return new Outbound(integer(parameters, OUTBOUND_SENDERS, 0, 0, 256, problems),
                    integer(parameters, OUTBOUND_MAX_BATCH_BYTES, 64 * 1024, 0, 16 * 1024 * 1024, problems),
                    onByDefault(parameters, OUTBOUND_IDLE_TIMER_BYPASS, problems),
                    onByDefault(parameters, OUTBOUND_SMALL_WRITE_BUFFER, problems),
                    onByDefault(parameters, OUTBOUND_PREFRAMED, problems));
        }

        private static boolean onByDefault(Function<String, String> parameters, String name, List<String> problems) {
            String value = parameters.apply(name);
            boolean on = value == null || value.isBlank() || value.strip().equalsIgnoreCase("true");
            if (!on && !value.strip().equalsIgnoreCase("false")) {
                problems.add("context-param " + name + " is '" + value + "'. Fix: use true or false (default true).");
            }
            return on;
        }
    }

    // --- workarounds for the container (docs/configuration.md, "Sending"; docs/architecture.md, "Platform notes") ---
    public static final String CONTAINER_RELEASE_CLOSED_SOCKETS = "rowcast.container.releaseClosedSockets";
    public static final String CONTAINER_DROP_INPUT_AFTER_CLOSE = "rowcast.container.dropInputAfterClose";

    /**
     * Workarounds for the container.
     *
     * @param releaseClosedSockets whether a closed socket's upgrade handler drops its Tyrus connection, which Payara's
     *         recycled requests otherwise keep (docs/architecture.md, "Platform notes")
     * @param dropInputAfterClose whether what a client sends after its socket closed is dropped, which Payara would
     *         otherwise serve as a second HTTP request (docs/architecture.md, "Platform notes")
     */
    public record Container(boolean releaseClosedSockets, boolean dropInputAfterClose) {

        static Container read(Function<String, String> parameters, List<String> problems) {
            return new Container(flag(parameters, CONTAINER_RELEASE_CLOSED_SOCKETS, problems),
                    flag(parameters, CONTAINER_DROP_INPUT_AFTER_CLOSE, problems));
        }

        private static boolean flag(Function<String, String> parameters, String name, List<String> problems) {
            String value = parameters.apply(name);
            boolean on = value == null || value.isBlank() || value.strip().equalsIgnoreCase("true");
            if (!on && !value.strip().equalsIgnoreCase("false")) {
                problems.add("context-param " + name + " is '" + value + "'. Fix: use true or false (default true).");
            }
            return on;
        }
    }

    // --- operability (docs/operations.md) ---
    public static final String ADMIN_PATH = "rowcast.admin.path";
    public static final String ADMIN_ROLE = "rowcast.admin.role";

    /**
     * The live admin page.
     *
     * @param path where it is served, relative to the context root; {@code null}: off (the default)
     * @param role the role a caller needs to see it and to follow its figures
     */
    public record Admin(String path, String role) {

        public boolean enabled() {
            return path != null;
        }

        static Admin read(Function<String, String> parameters, String endpointPath, List<String> problems) {
            String path = parameters.apply(ADMIN_PATH);
            path = path == null || path.isBlank() ? null : path.strip();
            if (path != null && path.endsWith("/") && path.length() > 1) {
                path = path.substring(0, path.length() - 1);
            }
            if (path != null && (!path.startsWith("/") || path.equals("/") || path.contains("{")
                    || path.contains("*") || path.contains(" ") || path.equals(endpointPath))) {
                problems.add("context-param " + ADMIN_PATH + " is '" + path + "'. Fix: use a path that starts with "
                        + "'/', is not the endpoint's, and has no wildcard or spaces, e.g. /rowcast-admin; or leave it "
                        + "out to keep the admin page off.");
            }
            String role = parameters.apply(ADMIN_ROLE);
            role = role == null || role.isBlank() ? "admin" : role.strip();
            return new Admin(path, role);
        }
    }

    /**
     * The engine's bounds: nothing a client, a row or a plug-in does grows the heap past them or stops delivery
     * unnoticed.
     *
     * @param dispatchMaxQueuedBytes estimated bytes of every task waiting for the dispatch thread
     * @param stuckMillis a unit of dispatch work running longer is reported stuck (log, health)
     * @param maxLostStreams streams of dropped changes tracked one by one before whole channels are reset
     * @param replayMaxBytes the in-memory replay store's total
     * @param replayMaxBytesPerStream the in-memory replay store's history of one stream
     * @param captureMaxTransactionBytes one transaction's captured changes; past it its streams are reset instead
     * @param catchUpEventsPerSecond replayed events per socket and second
     * @param catchUpEventsBurst replayed events a socket may have at once
     * @param catchUpSnapshotsPerSecond snapshot reads per socket and second
     * @param catchUpSnapshotsBurst snapshot reads a socket may have at once
     * @param maxPendingRequests a socket's requests waiting for the ones before them (a slow authorizer)
     * @param maxPendingBytes their estimated bytes
     * @param dispatchBatchWaitMicros after a wait that found work, the dispatch thread waits this long for more
     *        without being woken, so committing threads do not each pay for waking it; 0 wakes it per task
     * @param dispatchLingerWindowMicros how long after running out of work the dispatch thread keeps taking such
     *        waits before it sleeps until woken; at least one wait (the default: on two cores its own timer wake-ups
     *        cost commits more than the wakes they save, docs/benchmarks.md finding 7)
     */
    public record EngineLimits(int dispatchMaxQueuedBytes, int stuckMillis, int maxLostStreams, int replayMaxBytes,
            int replayMaxBytesPerStream, int captureMaxTransactionBytes, int catchUpEventsPerSecond,
            int catchUpEventsBurst, int catchUpSnapshotsPerSecond, int catchUpSnapshotsBurst, int maxPendingRequests,
            int maxPendingBytes, int dispatchBatchWaitMicros, int dispatchLingerWindowMicros) {

        static EngineLimits read(Function<String, String> parameters, List<String> problems) {
            int max = Integer.MAX_VALUE;
            return new EngineLimits(
                    integer(parameters, DISPATCH_MAX_QUEUED_BYTES, 64 * 1024 * 1024, 64 * 1024, max, problems),
                    integer(parameters, DISPATCH_STUCK_MILLIS, 30_000, 100, 3_600_000, problems),
                    integer(parameters, DISPATCH_MAX_LOST_STREAMS, 10_000, 1, 10_000_000, problems),
                    integer(parameters, REPLAY_MAX_BYTES, 64 * 1024 * 1024, 64 * 1024, max, problems),
                    integer(parameters, REPLAY_MAX_BYTES_PER_STREAM, 1024 * 1024, 1024, max, problems),
                    integer(parameters, CAPTURE_MAX_TRANSACTION_BYTES, 16 * 1024 * 1024, 1024, max, problems),
                    integer(parameters, CATCH_UP_EVENTS_PER_SECOND, 2_000, 1, 1_000_000, problems),
                    integer(parameters, CATCH_UP_EVENTS_BURST, 10_000, 1, 10_000_000, problems),
                    integer(parameters, CATCH_UP_SNAPSHOTS_PER_SECOND, 20, 1, 100_000, problems),
                    integer(parameters, CATCH_UP_SNAPSHOTS_BURST, 300, 1, 1_000_000, problems),
                    integer(parameters, MAX_PENDING_REQUESTS, 1_000, 1, 1_000_000, problems),
                    integer(parameters, MAX_PENDING_BYTES, 1024 * 1024, 4 * 1024, max, problems),
                    integer(parameters, DISPATCH_BATCH_WAIT_MICROS, 200, 0, 100_000, problems),
                    integer(parameters, DISPATCH_LINGER_WINDOW_MICROS, 0, 0, 1_000_000, problems));
        }
    }
    public static final String CAPTURE_DATABASE = "rowcast.capture.database";
    public static final String CAPTURE_INSTALL_TRIGGERS = "rowcast.capture.installTriggers";
    public static final String CAPTURE_SQL_FILE = "rowcast.capture.sqlFile";
    public static final String CAPTURE_RETENTION = "rowcast.capture.retentionSeconds";
    /** 0: the trigger NOTIFYs and wakes the reader; more: no NOTIFY, the reader polls this often. */
    public static final String CAPTURE_POLL = "rowcast.capture.pollMillis";

    public static final String CLUSTER_REDIS = "rowcast.cluster.redis";
    public static final String CLUSTER_PREFIX = "rowcast.cluster.keyPrefix";
    public static final String CLUSTER_HISTORY_LENGTH = "rowcast.cluster.historyLength";
    public static final String CLUSTER_HISTORY_SECONDS = "rowcast.cluster.historySeconds";
    public static final String CLUSTER_LEASE_MILLIS = "rowcast.cluster.leaseMillis";
    public static final String CLUSTER_USER_SUBSCRIBES = "rowcast.cluster.userSubscribesPerSecond";
    public static final String CLUSTER_USER_BURST = "rowcast.cluster.userSubscribesBurst";

    /**
     * Cluster mode: on when {@code redis} is set.
     *
     * @param redis a Lettuce URI such as {@code redis://127.0.0.1:6379}, or {@code null}: one instance, no Redis
     * @param keyPrefix every Redis key starts with it; instances of one application share it
     * @param historyLength events kept per stream for replay
     * @param historySeconds how long an event is kept for replay
     * @param leaseMillis how long the relay's lease lives without renewal: the failover time after a kill -9
     * @param userSubscribesPerSecond subscribes per authenticated user, summed over every instance; 0: no limit
     * @param userSubscribesBurst of those, at once
     */
    public record Cluster(String redis, String keyPrefix, int historyLength, int historySeconds, int leaseMillis,
            int userSubscribesPerSecond, int userSubscribesBurst) {

        public boolean enabled() {
            return redis != null;
        }

        static Cluster read(Function<String, String> parameters, List<String> problems) {
            String redis = parameters.apply(CLUSTER_REDIS);
            redis = redis == null || redis.isBlank() ? null : redis.strip();
            if (redis != null && !redis.startsWith("redis://") && !redis.startsWith("rediss://")
                    && !redis.startsWith("redis-socket://")) {
                problems.add("context-param " + CLUSTER_REDIS + " is '" + redis + "'. Fix: use a Redis URI such as "
                        + "redis://127.0.0.1:6379.");
            }
            String prefix = parameters.apply(CLUSTER_PREFIX);
            return new Cluster(redis, prefix == null || prefix.isBlank() ? "rowcast" : prefix.strip(),
                    integer(parameters, CLUSTER_HISTORY_LENGTH, 1_000, 1, 10_000_000, problems),
                    integer(parameters, CLUSTER_HISTORY_SECONDS, 3_600, 1, 30 * 86_400, problems),
                    integer(parameters, CLUSTER_LEASE_MILLIS, 5_000, 500, 600_000, problems),
                    integer(parameters, CLUSTER_USER_SUBSCRIBES, 50, 0, 1_000_000, problems),
                    integer(parameters, CLUSTER_USER_BURST, 200, 1, 1_000_000, problems));
        }
    }

    /** Reads the settings through a lookup such as {@code ServletContext::getInitParameter}. */
    public static RowcastSettings read(Function<String, String> parameters) {
        List<String> problems = new ArrayList<>();
        String path = parameters.apply(ENDPOINT_PATH);
        path = path == null || path.isBlank() ? "/ws" : path.strip();
        if (!path.startsWith("/") || path.contains("{") || path.contains(" ")) {
            problems.add("context-param " + ENDPOINT_PATH + " is '" + path + "'. Fix: use a path that starts with '/' "
                    + "and has no template or spaces, e.g. /ws.");
        }
        int maxFrame = integer(parameters, MAX_FRAME_BYTES, 65_536, 256, 16 * 1024 * 1024, problems);
        int maxSubscriptions = integer(parameters, MAX_SUBSCRIPTIONS, 256, 1, 1_000_000, problems);
        int queueCapacity = integer(parameters, DISPATCH_QUEUE_CAPACITY, 100_000, 16, 100_000_000, problems);
        int framesPerStream = integer(parameters, REPLAY_FRAMES_PER_STREAM, 256, 0, 1_000_000, problems);
        int maxStreams = integer(parameters, REPLAY_MAX_STREAMS, 10_000, 1, 10_000_000, problems);
        int ticketTimeout = integer(parameters, TICKET_TIMEOUT_MILLIS, 10_000, 100, 3_600_000, problems);
        int maxQueued = integer(parameters, MAX_QUEUED_BYTES, 1024 * 1024, 1024, Integer.MAX_VALUE, problems);
        int heartbeat = integer(parameters, HEARTBEAT_INTERVAL, 30_000, 0, 3_600_000, problems);
        int heartbeatTimeout = integer(parameters, HEARTBEAT_TIMEOUT, 10_000, 100, 3_600_000, problems);
        int rate = integer(parameters, INBOUND_RATE, 100, 1, 1_000_000, problems);
        int burst = integer(parameters, INBOUND_BURST, 300, 1, 1_000_000, problems);
        int strikes = integer(parameters, RATE_LIMIT_STRIKES, 50, 1, 1_000_000, problems);
        int flush = integer(parameters, SHUTDOWN_FLUSH, 2_000, 0, 60_000, problems);
        int maxAge = integer(parameters, MAX_CONNECTION_AGE, 86_400, 0, 31_536_000, problems);
        int authorizerTimeout = integer(parameters, AUTHORIZER_TIMEOUT, 5_000, 100, 600_000, problems);
        EngineLimits engine = EngineLimits.read(parameters, problems);
        Admin admin = Admin.read(parameters, path, problems);
        boolean installTriggers = bool(parameters, CAPTURE_INSTALL_TRIGGERS, problems);
        int retention = integer(parameters, CAPTURE_RETENTION, 300, 0, 30 * 86_400, problems);
        int poll = integer(parameters, CAPTURE_POLL, 0, 0, 60_000, problems);
        String sqlFile = parameters.apply(CAPTURE_SQL_FILE);
        Talk talk = new Talk(integer(parameters, BROADCAST_MAX_BYTES, 2_048, 16, 1_048_576, problems),
                integer(parameters, BROADCAST_THROTTLE, 50, 0, 60_000, problems),
                list(parameters.apply(BROADCAST_DISABLED)),
                integer(parameters, PRESENCE_MAX_MEMBERS, 1_000, 1, 1_000_000, problems),
                integer(parameters, PRESENCE_SWEEP, 5_000, 50, 3_600_000, problems),
                integer(parameters, PROPOSAL_THREADS, 4, 1, 256, problems),
                integer(parameters, PROPOSAL_MAX_QUEUED, 1_000, 1, 1_000_000, problems),
                integer(parameters, PRESENCE_TTL, 15_000, 300, 3_600_000, problems));
        Cluster cluster = Cluster.read(parameters, problems);
        Outbound outbound = Outbound.read(parameters, problems);
        String release = parameters.apply(RELEASE_UPGRADE_REQUEST);
        boolean releaseUpgradeRequest = release == null || release.isBlank() || release.strip().equalsIgnoreCase("true");
        if (!releaseUpgradeRequest && !release.strip().equalsIgnoreCase("false")) {
            problems.add("context-param " + RELEASE_UPGRADE_REQUEST + " is '" + release
                    + "'. Fix: use true or false (default true).");
        }
        Container container = Container.read(parameters, problems);
        if (!problems.isEmpty()) {
            throw new RowcastConfigurationException(problems);
        }
        return new RowcastSettings(path, maxFrame, maxSubscriptions, queueCapacity, framesPerStream, maxStreams,
                ticketTimeout, list(parameters.apply(SECURITY_ROLES)), list(parameters.apply(ALLOWED_ORIGINS)),
                maxQueued, heartbeat, heartbeatTimeout, rate, burst, strikes, flush, maxAge, authorizerTimeout,
                engine, admin, list(parameters.apply(CAPTURE_DATABASE)), installTriggers,
                sqlFile == null || sqlFile.isBlank() ? null : sqlFile.strip(), retention, poll, talk, cluster,
                outbound, releaseUpgradeRequest, container);
    }

    private static List<String> list(String raw) {
        return raw == null ? List.of()
                : Arrays.stream(raw.split("[,\\s]+")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** Whether changes of this channel are taken from the database: it is listed, or the list is {@code *}. */
    public boolean capturesFromDatabase(String channel) {
        return captureDatabase.contains("*") || captureDatabase.contains(channel);
    }

    private static boolean bool(Function<String, String> parameters, String name, List<String> problems) {
        String raw = parameters.apply(name);
        if (raw == null || raw.isBlank() || raw.strip().equalsIgnoreCase("false")) {
            return false;
        }
        if (raw.strip().equalsIgnoreCase("true")) {
            return true;
        }
        problems.add("context-param " + name + " is '" + raw + "'. Fix: use true or false (default false).");
        return false;
    }

    private static int integer(Function<String, String> parameters, String name, int defaultValue, int min, int max,
            List<String> problems) {
        String raw = parameters.apply(name);
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add("context-param " + name + " is '" + raw + "'. Fix: use an integer from " + min + " to " + max
                + " (default " + defaultValue + ").");
        return defaultValue;
    }
}
