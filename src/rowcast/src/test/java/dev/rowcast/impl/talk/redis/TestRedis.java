package dev.rowcast.impl.talk.redis;

import org.junit.jupiter.api.Assumptions;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;

/** The shared Redis of the talk tests (ROWCAST_TEST_REDIS, default redis://127.0.0.1:6379), used under a prefix. */
public final class TestRedis {

    public static final String URI = System.getenv().getOrDefault("ROWCAST_TEST_REDIS", "redis://127.0.0.1:6379");

    private TestRedis() {
    }

    /** Skips the test when no Redis answers. */
    public static void assumeAnswering() {
        RedisClient client = RedisClient.create(URI);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().ping();
        } catch (RuntimeException e) {
            Assumptions.abort("no Redis at " + URI + ": " + e);
        } finally {
            client.shutdown();
        }
    }

    /** Removes every key under the prefix: the shared Redis keeps nothing of a test. */
    public static void removeKeys(String prefix) {
        RedisClient client = RedisClient.create(URI);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            ScanArgs match = ScanArgs.Builder.matches(prefix + ":*").limit(1000);
            KeyScanCursor<String> cursor = connection.sync().scan(match);
            while (true) {
                if (!cursor.getKeys().isEmpty()) {
                    connection.sync().del(cursor.getKeys().toArray(String[]::new));
                }
                if (cursor.isFinished()) {
                    return;
                }
                cursor = connection.sync().scan(cursor, match);
            }
        } finally {
            client.shutdown();
        }
    }
}
