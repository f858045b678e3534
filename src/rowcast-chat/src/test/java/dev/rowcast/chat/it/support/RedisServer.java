package dev.rowcast.chat.it.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server of the test's own on a free loopback port, without persistence, stopped by its own PID: the shared
 * Redis of the machine is left alone.
 */
public final class RedisServer implements AutoCloseable {

    private final int port;
    private final Path dir;
    private Process process;

    private RedisServer(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    public static RedisServer start() throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        RedisServer server = new RedisServer(port, Files.createTempDirectory("rowcast-it-redis-"));
        server.run();
        return server;
    }

    /** kill -9: Redis is gone until {@link #revive()}. */
    public void kill() throws InterruptedException {
        close();
    }

    /** Starts it again on the same port after {@link #kill()}, empty: a cache restarted without persistence. */
    public void revive() throws IOException, InterruptedException {
        run();
    }

    private void run() throws IOException, InterruptedException {
        Path log = dir.resolve("redis.log");
        Files.deleteIfExists(log);
        process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(log) && Files.readString(log).contains("Ready to accept connections")) {
                return;
            }
            Thread.sleep(50);
        }
        process.destroyForcibly();
        throw new AssertionError("redis-server did not start; log: " + log);
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
