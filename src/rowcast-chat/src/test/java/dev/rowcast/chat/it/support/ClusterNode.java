package dev.rowcast.chat.it.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One instance of a cluster: the reference WAR on its own Payara Micro process, on PostgreSQL and Redis, at context
 * root / on a free loopback port. Stopped by its own PID: SIGTERM, or SIGKILL for {@link #kill()}.
 */
public final class ClusterNode implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(240);

    private final Process process;
    private final Path log;
    private final int port;

    private ClusterNode(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts the instance; {@link #awaitReady()} waits for it, so several can boot at once. */
    public static ClusterNode start(String name, Map<String, String> settings) throws IOException {
        return start(name, settings, System.getProperty("rowcast.it.war", "target/rowcast-chat.war"));
    }

    /** Starts the instance with another WAR, such as the reference WAR with probes. */
    public static ClusterNode start(String name, Map<String, String> settings, String war) throws IOException {
        Path dir = Files.createTempDirectory("rowcast-cluster-" + name + "-");
        Path log = dir.resolve("payara.log");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String microJar = System.getProperty("rowcast.it.microJar", "target/payara-micro.jar");
        Path target = Path.of(microJar).toAbsolutePath().getParent();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx384m", "-jar", microJar, "--deploy", war, "--contextroot", "/", "--port",
                String.valueOf(port), "--nocluster", "--addlibs", target.resolve("postgresql.jar").toString(),
                "--postbootcommandfile", target.resolve("../../../scripts/postgres.asadmin").normalize().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        // only the settings given here: the build's own (ROWCAST_CAPTURE_DATABASE in -Ppostgres) must not leak in
        env.keySet().removeIf(key -> key.startsWith("ROWCAST_") && !key.startsWith("ROWCAST_DB_"));
        env.putIfAbsent("ROWCAST_DB_HOST", "127.0.0.1");
        env.putIfAbsent("ROWCAST_DB_PORT", "5432");
        env.putIfAbsent("ROWCAST_DB_NAME", "test");
        env.putIfAbsent("ROWCAST_DB_USER", "postgres");
        env.putIfAbsent("ROWCAST_DB_PASSWORD", "postgres");
        // the settings as environment variables, as an operator would give them (MicroProfile Config maps them)
        settings.forEach((key, value) -> env.put(key.toUpperCase().replace('.', '_'), value));
        return new ClusterNode(builder.start(), log, port);
    }

    public ClusterNode awaitReady() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(STARTUP);
        while (Instant.now().isBefore(deadline)) {
            String text = log();
            if (text.contains(" ready in ")) {
                if (text.contains("Exception while deploying") || text.contains("RowcastConfigurationException")) {
                    throw new AssertionError("deployment failed; log: " + log);
                }
                return this;
            }
            if (!process.isAlive()) {
                throw new AssertionError("Payara Micro exited; log: " + log);
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Payara Micro did not start within " + STARTUP + "; log: " + log);
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    public Path logFile() {
        return log;
    }

    public URL base() throws IOException {
        return new URL("http", "127.0.0.1", port, "/");
    }

    public long pid() {
        return process.pid();
    }

    /** kill -9 of this instance only. */
    public void kill() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Unix
        process.waitFor(20, TimeUnit.SECONDS);
    }

    public int get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    public String body(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
