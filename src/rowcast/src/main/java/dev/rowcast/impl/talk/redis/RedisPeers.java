package dev.rowcast.impl.talk.redis;

import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import dev.rowcast.impl.talk.Peers;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * Presence and broadcasts across instances on Redis: presence in one hash per stream with entries that expire
 * ({@link PresenceScripts}), and one pub/sub channel for what changed and for broadcasts. Pub/sub is only fast: a
 * message lost while an instance was disconnected is made good by the next refresh, which answers with the members.
 * Strings go to Redis escaped to ASCII ({@link Ascii}), so any name and value arrives as it was sent.
 */
public final class RedisPeers implements Peers {

    private static final Logger LOG = Logger.getLogger(RedisPeers.class.getName());
    /** The talk thread waits for each presence command: not longer than this. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> redis;
    private final StatefulRedisPubSubConnection<String, String> subscription;
    private final String prefix;
    private final String channel;
    private final String instance;
    private final long ttlMillis;
    private volatile boolean failing;

    private RedisPeers(String uri, String prefix, long ttlMillis) {
        client = RedisClient.create(RedisURI.create(uri));
        client.setOptions(ClientOptions.builder().timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        this.prefix = prefix;
        this.channel = prefix + ":talk";
        this.ttlMillis = ttlMillis;
        this.instance = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        try {
            connection = client.connect();
            redis = connection.sync();
            subscription = client.connectPubSub();
        } catch (RuntimeException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            throw e;
        }
    }

    /**
     * Connects to Redis; the caller has checked that Lettuce is present.
     *
     * @param prefix the cluster's key prefix: keys and the channel are under it
     * @param ttlMillis how long an entry outlives its instance's last refresh
     */
    public static Peers connect(String uri, String prefix, long ttlMillis) {
        return new RedisPeers(uri, prefix, ttlMillis);
    }

    @Override
    public void listen(Listener listener) {
        subscription.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String from, String message) {
                hear(listener, message);
            }
        });
        subscription.sync().subscribe(channel); // resubscribed by Lettuce after a reconnect
    }

    private void hear(Listener listener, String message) {
        try {
            JsonObject heard = Json.createReader(new StringReader(message)).readObject();
            if (instance.equals(heard.getString("o", ""))) {
                return; // this instance told its own sockets already
            }
            String stream = Ascii.decode(heard.getString("s"));
            switch (heard.getString("k")) {
                case "j" -> listener.joined(stream, Ascii.decode(heard.getString("u")), Ascii.decode(heard.getString("e")));
                case "l" -> listener.left(stream, Ascii.decode(heard.getString("u")));
                case "b" -> listener.broadcast(stream, Ascii.decode(heard.getString("f")));
                default -> LOG.fine(() -> "Rowcast: unknown talk message " + message);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "ROWCAST-088: an unreadable message on Redis channel " + channel
                    + " was ignored (another application using the same rowcast.cluster.keyPrefix?)", e);
        }
    }

    @Override
    public Map<String, String> join(String stream, String user, String entry, int limit) {
        return run(PresenceScripts.JOIN, stream, List.of(Ascii.encode(user), Ascii.encode(entry),
                String.valueOf(limit)));
    }

    @Override
    public Map<String, String> leave(String stream, String user) {
        return run(PresenceScripts.LEAVE, stream, List.of(Ascii.encode(user)));
    }

    @Override
    public Map<String, String> refresh(String stream, Map<String, String> here) {
        List<String> args = new ArrayList<>(here.size() * 2);
        here.forEach((user, entry) -> {
            args.add(Ascii.encode(user));
            args.add(Ascii.encode(entry));
        });
        return run(PresenceScripts.REFRESH, stream, args);
    }

    @Override
    public void broadcast(String stream, String frame) {
        String message = Json.createObjectBuilder().add("k", "b").add("o", instance).add("s", Ascii.encode(stream))
                .add("f", Ascii.encode(frame)).build().toString();
        try {
            connection.async().publish(channel, message).whenComplete((receivers, failure) -> outcome(failure));
        } catch (RuntimeException e) {
            outcome(e);
        }
    }

    @Override
    public long refreshMillis() {
        return Math.max(100, ttlMillis / 3);
    }

    @Override
    public void close() {
        subscription.close();
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    private Map<String, String> run(String script, String stream, List<String> more) {
        String name = Ascii.encode(stream);
        List<String> args = new ArrayList<>(List.of(instance, name, channel, String.valueOf(ttlMillis)));
        args.addAll(more);
        String[] keys = { prefix + ":p:" + name };
        String[] values = args.toArray(String[]::new);
        List<Object> answer;
        try {
            String sha = redis.digest(script);
            try {
                answer = redis.evalsha(sha, ScriptOutputType.MULTI, keys, values);
            } catch (RedisNoScriptException e) {
                redis.scriptLoad(script); // Redis restarted
                answer = redis.evalsha(sha, ScriptOutputType.MULTI, keys, values);
            }
        } catch (RuntimeException e) {
            outcome(e);
            throw e;
        }
        outcome(null);
        if (((Number) answer.get(0)).longValue() == 0) {
            return null;
        }
        Map<String, String> members = new LinkedHashMap<>();
        for (int i = 1; i + 1 < answer.size(); i += 2) {
            members.put(Ascii.decode((String) answer.get(i)), Ascii.decode((String) answer.get(i + 1)));
        }
        return members;
    }

    /** Logs an outage once, and its end. */
    private void outcome(Throwable failure) {
        if (failure == null) {
            if (failing) {
                failing = false;
                LOG.info("Rowcast: Redis answers again; presence and broadcasts span the instances again");
            }
        } else if (!failing) {
            failing = true;
            LOG.log(Level.WARNING, "ROWCAST-087: presence and broadcasts cannot reach Redis; each instance goes on "
                    + "with its own sockets until Redis is back", failure);
        }
    }
}
