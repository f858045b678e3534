package dev.rowcast.impl.cluster;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import dev.rowcast.RowcastConfigurationException;
import dev.rowcast.impl.bridge.ReadinessContributors;
import dev.rowcast.impl.config.RowcastSettings;
import dev.rowcast.impl.dispatch.PositionedReplayStore;
import dev.rowcast.impl.metrics.Meters;
import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.outbox.DatabaseCapture;
import dev.rowcast.impl.outbox.OutboxDecoder;
import dev.rowcast.impl.outbox.OutboxRelay;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

/**
 * Cluster mode, built by boot when {@code rowcast.cluster.redis} is set: checks that every channel is captured from
 * the database, connects to Redis (one connection each for the relay, the log reader's blocking XREAD and the replay
 * store), and starts the log reader. Lettuce is reached only from here, so it is needed only in cluster mode.
 */
public final class ClusterMode {

    private static final Logger LOG = Logger.getLogger(ClusterMode.class.getName());
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

    private final ClientResources resources;
    private final RedisClient client;
    private final List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
    private final RedisReplayStore store;
    private final Relay relay;
    private final LogReader log;
    private final String owner;
    private final io.lettuce.core.api.sync.RedisCommands<String, String> limits;
    private final Keys keys;
    private final RowcastSettings.Cluster settings;
    private final RedisReadiness readiness;
    private Runnable resync = () -> {
    };

    private ClusterMode(RowcastSettings settings, Collection<ReactiveEntityModel> models, Meters meters) {
        RowcastSettings.Cluster cluster = settings.cluster();
        // reconnect within 2 s of Redis coming back, not Lettuce's default of up to 30 s
        resources = ClientResources.builder().reconnectDelay(Delay.exponential(Duration.ofMillis(50),
                Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS)).build();
        client = RedisClient.create(resources, RedisURI.create(cluster.redis()));
        // fail fast while Redis is away, rather than queue commands: every caller retries or resyncs
        client.setOptions(ClientOptions.builder().timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        keys = new Keys(cluster.keyPrefix());
        this.settings = cluster;
        owner = ManagementFactory.getRuntimeMXBean().getName() + "-" + Relay.newEpochBase();
        try {
            OutboxDecoder decoder = new OutboxDecoder(models);
            ClusterMeters figures = new ClusterMeters(meters);
            log = new LogReader(connect().sync(), keys, decoder, () -> resync.run(), figures,
                    () -> connections.stream().allMatch(StatefulRedisConnection::isOpen));
            log.startAtEnd();
            limits = connect().sync(); // a socket thread's call must not wait behind the dispatch thread's
            store = new RedisReplayStore(connect().sync(), keys, decoder,
                    models.stream().map(ReactiveEntityModel::channel).collect(Collectors.toUnmodifiableSet()),
                    cluster, log.startSeq(), settings.replayMaxStreams());
            relay = new Relay(connect().sync(), keys, decoder, cluster, log, owner);
            figures.leaseHeld(relay::holdsLease);
            readiness = new RedisReadiness(connections, log);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private StatefulRedisConnection<String, String> connect() {
        StatefulRedisConnection<String, String> connection = client.connect();
        connections.add(connection);
        return connection;
    }

    /**
     * @param meters where the cluster's figures go, with the rest of Rowcast's
     * @throws RowcastConfigurationException when a channel is not captured from the database, the application has
     *         its own replay store, Lettuce is missing, or Redis cannot be reached
     */
    public static ClusterMode connect(RowcastSettings settings, Collection<ReactiveEntityModel> models,
            boolean applicationReplayStore, Meters meters) {
        List<String> problems = new ArrayList<>();
        Set<String> captured = DatabaseCapture.captured(settings, models).stream().map(ReactiveEntityModel::channel)
                .collect(Collectors.toSet());
        List<String> notCaptured = models.stream().map(ReactiveEntityModel::channel)
                .filter(channel -> !captured.contains(channel)).sorted().toList();
        if (!notCaptured.isEmpty()) {
            problems.add(RowcastSettings.CLUSTER_REDIS + " is set, and channels " + notCaptured + " are not captured "
                    + "from the database: only the database knows the order of commits made on different instances. "
                    + "Fix: set " + RowcastSettings.CAPTURE_DATABASE + "=* (or list them), or @Reactive(capture = "
                    + "DATABASE).");
        }
        if (applicationReplayStore) {
            problems.add(RowcastSettings.CLUSTER_REDIS + " is set, and the application provides a ReplayStore bean: "
                    + "in cluster mode the history is kept in Redis. Fix: remove the bean, or the setting.");
        }
        try {
            Class.forName("io.lettuce.core.RedisClient", false, ClusterMode.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            problems.add(RowcastSettings.CLUSTER_REDIS + " is set, and the Redis client is not in the application. "
                    + "Fix: add io.lettuce:lettuce-core:7.7.0.RELEASE to the WAR.");
        }
        if (!problems.isEmpty()) {
            throw new RowcastConfigurationException(problems);
        }
        try {
            ClusterMode mode = new ClusterMode(settings, DatabaseCapture.captured(settings, models), meters);
            LOG.info(() -> "Rowcast: cluster mode on Redis " + RedisURI.create(settings.cluster().redis()).toString()
                    + " as " + mode.owner + ", keys under " + settings.cluster().keyPrefix() + ":");
            return mode;
        } catch (RuntimeException e) {
            throw new RowcastConfigurationException(RowcastSettings.CLUSTER_REDIS + " is set, and Redis at "
                    + settings.cluster().redis() + " cannot be used: " + e + ". Fix: start Redis, or correct the "
                    + "setting.");
        }
    }

    /**
     * The per-user subscribe limit, one round trip. When Redis cannot answer it allows: the per-connection limits
     * still hold, and a Redis outage must not lock every user out.
     */
    public boolean allowSubscribe(String user) {
        try {
            Long taken = Scripts.run(limits, Scripts.TAKE, io.lettuce.core.ScriptOutputType.INTEGER,
                    List.of(keys.user(user)), List.of(String.valueOf(settings.userSubscribesPerSecond()),
                            String.valueOf(settings.userSubscribesBurst()), "60000"));
            return taken == null || taken != 0;
        } catch (RuntimeException e) {
            LOG.log(java.util.logging.Level.FINE, "Rowcast: the per-user limit could not ask Redis; allowed", e);
            return true;
        }
    }

    public PositionedReplayStore replayStore() {
        return store;
    }

    public OutboxRelay relay() {
        return relay;
    }

    /** Starts reading the log. @param resyncFollowed resyncs every followed stream, when the log was cut */
    public void start(ThreadFactory threads, Runnable resyncFollowed) {
        this.resync = resyncFollowed;
        Thread thread = threads.newThread(log);
        thread.setName("rowcast-cluster-log");
        thread.setDaemon(true);
        thread.start();
        ReadinessContributors.register(readiness);
    }

    public void stop() {
        ReadinessContributors.unregister(readiness);
        log.stop();
        close();
    }

    private void close() {
        connections.forEach(StatefulRedisConnection::close);
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
