package dev.rowcast.chat.it.support;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * Runs Payara Micro as a plain process, for deployments Arquillian cannot judge: its Payara Micro adapter reports
 * success even when the application failed to deploy.
 */
public final class PayaraProcess implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(180);

    private final Process process;
    private final Path log;
    private final int port;

    private PayaraProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts Payara Micro with the archive and waits until it says it is ready. */
    public static PayaraProcess deploy(WebArchive archive) throws IOException, InterruptedException {
        return deploy(archive, false);
    }

    /**
     * The same on the PostgreSQL of the build's {@code ROWCAST_DB_*} (the postgres profile's), with only the settings
     * the archive has: the build's own {@code ROWCAST_CAPTURE_*} do not leak in.
     */
    public static PayaraProcess deployOnPostgres(WebArchive archive) throws IOException, InterruptedException {
        return deploy(archive, true);
    }

    private static PayaraProcess deploy(WebArchive archive, boolean postgres) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("rowcast-it-");
        File war = dir.resolve("ROOT.war").toFile();
        archive.as(ZipExporter.class).exportTo(war, true);
        Path log = dir.resolve("payara.log");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String microJar = System.getProperty("rowcast.it.microJar", "target/payara-micro.jar");
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(Path.of(
                System.getProperty("java.home"), "bin", "java").toString(), "-jar", microJar, "--deploy",
                war.getPath(), "--port", String.valueOf(port), "--nocluster"));
        Path target = Path.of(microJar).toAbsolutePath().getParent();
        if (postgres) {
            command.addAll(java.util.List.of("--addlibs", target.resolve("postgresql.jar").toString(),
                    "--postbootcommandfile", target.resolve("../../../scripts/postgres.asadmin").normalize()
                            .toString()));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("ROWCAST_") && !key.startsWith("ROWCAST_DB_"));
        Process process = builder.start();
        PayaraProcess payara = new PayaraProcess(process, log, port);
        payara.awaitReady();
        return payara;
    }

    private void awaitReady() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(STARTUP);
        while (Instant.now().isBefore(deadline)) {
            if (log().contains(" ready in ")) {
                return;
            }
            if (!process.isAlive()) {
                return; // a dead server has its reasons in the log
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Payara Micro did not start within " + STARTUP + "; log: " + log);
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    /** The server's base URL on loopback. */
    public java.net.URL base() throws IOException {
        return new java.net.URL("http", "127.0.0.1", port, "/");
    }

    /** The HTTP status of a GET on the server, by loopback. */
    public int get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Stops the server as an operator would (SIGTERM), so it shuts down gracefully. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
