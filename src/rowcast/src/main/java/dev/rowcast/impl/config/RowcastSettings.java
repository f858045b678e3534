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
        int shutdownFlushMillis, int maxConnectionAgeSeconds, int authorizerTimeoutMillis, Talk talk) {

    /**
     * Settings of clients that talk back: presence, broadcasts, proposals. One component, so the settings of the
     * engine and these grow apart.
     */
    public record Talk(int broadcastMaxBytes, int broadcastThrottleMillis, List<String> broadcastDisabledChannels,
            int presenceMaxMembers, int presenceSweepMillis, int proposalThreads, int proposalMaxQueued) {

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
    public static final String PROPOSAL_THREADS = "rowcast.proposal.threads";
    public static final String PROPOSAL_MAX_QUEUED = "rowcast.proposal.maxQueued";

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
        Talk talk = new Talk(integer(parameters, BROADCAST_MAX_BYTES, 2_048, 16, 1_048_576, problems),
                integer(parameters, BROADCAST_THROTTLE, 50, 0, 60_000, problems),
                list(parameters.apply(BROADCAST_DISABLED)),
                integer(parameters, PRESENCE_MAX_MEMBERS, 1_000, 1, 1_000_000, problems),
                integer(parameters, PRESENCE_SWEEP, 5_000, 50, 3_600_000, problems),
                integer(parameters, PROPOSAL_THREADS, 4, 1, 256, problems),
                integer(parameters, PROPOSAL_MAX_QUEUED, 1_000, 1, 1_000_000, problems));
        if (!problems.isEmpty()) {
            throw new RowcastConfigurationException(problems);
        }
        return new RowcastSettings(path, maxFrame, maxSubscriptions, queueCapacity, framesPerStream, maxStreams,
                ticketTimeout, list(parameters.apply(SECURITY_ROLES)), list(parameters.apply(ALLOWED_ORIGINS)),
                maxQueued, heartbeat, heartbeatTimeout, rate, burst, strikes, flush, maxAge, authorizerTimeout, talk);
    }

    private static List<String> list(String raw) {
        return raw == null ? List.of()
                : Arrays.stream(raw.split("[,\\s]+")).map(String::strip).filter(s -> !s.isEmpty()).toList();
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
