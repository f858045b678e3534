package dev.rowcast.chat.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import dev.rowcast.chat.it.fuzz.FuzzSettings;
import dev.rowcast.chat.it.fuzz.Fuzzer;
import dev.rowcast.chat.it.support.DeployedChat;
import dev.rowcast.chat.it.support.Deployments;

/**
 * The seeded protocol fuzzer (docs/security.md, "Fuzzing"): tens of thousands of frames by default, a million with
 * {@code -Dfuzz.frames=1000000}. Honest members keep receiving every change while it runs; the server answers every
 * frame as docs/protocol.md says, never closes with 1011 or drops a connection the fuzzer did not drop, and its
 * heap after a full GC stays within a bound.
 * <p>
 * Part of the default build (30,000 frames, well under two minutes); the million-frame run is the command in
 * docs/security.md, "Fuzzing".
 */
class FuzzIT extends DeployedChat {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.chatWarForFuzz();
    }

    @Test
    void should_answer_every_fuzzed_frame_as_specified_while_honest_clients_miss_nothing() throws Exception {
        FuzzSettings settings = FuzzSettings.fromSystemProperties();
        long honest = api.createConversation("fuzz-honest");
        api.addMember(honest, "bob");
        api.addMember(honest, "eve");
        long shared = api.createConversation("fuzz-shared");
        api.addMember(shared, "bob");
        long evesOwn = api.as("eve").createConversation("fuzz-eve");

        Fuzzer.Run run = Fuzzer.run(base, settings, new Fuzzer.Conversations(honest, shared, evesOwn),
                () -> api.as("admin").call("GET", "api/it/heap", null).object().getJsonNumber("used").longValue(),
                this::histogram);
        String connections = dev.rowcast.chat.it.support.Metrics.scrape(base).rowcast().lines()
                .filter(line -> line.contains("rowcast_connections")).collect(java.util.stream.Collectors.joining(
                        "\n  ", "server's connection meters after the run:\n  ", "\n"));
        String report = Fuzzer.report(run) + connections + tcpStates(base.getPort()) + settled();
        System.out.println(report);
        Path file = Path.of("target", "fuzz", "fuzz-report-seed" + settings.seed() + ".txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, report);

        long grownMb = (run.heapAfter() - run.heapBefore()) / (1024 * 1024);
        assertAll(
                () -> assertEquals(0, run.stats().violationCount(), () -> "violations; seed " + settings.seed()
                        + ", report in " + file + "\n" + report),
                () -> assertEquals(0, run.honest().lost(), "changes lost by honest clients"),
                () -> assertTrue(run.stats().frames() >= settings.frames() || run.stats().violationCount() > 0,
                        "frames sent: " + run.stats().frames()),
                () -> assertTrue(grownMb <= settings.heapBoundMb(), "heap after full GC grew by " + grownMb + " MB"));
    }

    /** The server's live threads and the top of its class histogram after a full GC, with the classes watched. */
    private String histogram() {
        jakarta.json.JsonObject probe = api.as("admin").call("GET", "api/it/heap/histogram?top=20&match="
                + java.net.URLEncoder.encode("dev\\.rowcast\\.impl|tyrus\\.core\\.TyrusSession|TyrusWebSocket\\b"
                        + "|StandardSession\\b|grizzly\\.nio\\.transport\\.TCPNIOConnection\\b|HttpServerFilter",
                        java.nio.charset.StandardCharsets.UTF_8), null).object();
        return "threads: " + probe.getInt("threads") + ", of them http-thread-pool: " + probe.getInt("httpThreads")
                + "\n" + probe.getString("histogram");
    }

    /** The server's TCP sockets on its port by state (from ss), to see connections the server never closed. */
    private static String tcpStates(int port) {
        try {
            Process ss = new ProcessBuilder("ss", "-tan").redirectErrorStream(true).start();
            String out = new String(ss.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            ss.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            java.util.Map<String, Long> states = out.lines().skip(1).map(l -> l.trim().split("\\s+"))
                    .filter(f -> f.length >= 4 && f[3].endsWith(":" + port))
                    .collect(java.util.stream.Collectors.groupingBy(f -> f[0], java.util.TreeMap::new,
                            java.util.stream.Collectors.counting()));
            return "server's TCP sockets on port " + port + " by state after the run: " + states + "\n";
        } catch (Exception e) {
            return "server's TCP sockets: ss failed: " + e + "\n";
        }
    }

    /**
     * With {@code -Dfuzz.settleSeconds=N}: the heap after a full GC again N seconds after the run, to tell memory the
     * container frees by its own timeouts from memory kept for good.
     */
    private String settled() throws InterruptedException {
        int seconds = Integer.getInteger("fuzz.settleSeconds", 0);
        if (seconds <= 0) {
            return "";
        }
        Thread.sleep(seconds * 1000L);
        long used = api.as("admin").call("GET", "api/it/heap", null).object().getJsonNumber("used").longValue();
        return String.format("server heap after full GC %d s after the run: %.1f MB%n", seconds, used / 1048576.0)
                + api.as("admin").call("GET", "api/it/heap/histogram?top=12&match=" + java.net.URLEncoder.encode(
                        "dev\\.rowcast\\.impl\\.socket\\.ClientConnection\\b|tyrus\\.core\\.TyrusSession\\b"
                                + "|TyrusWebSocket\\b|grizzly\\.nio\\.transport\\.TCPNIOConnection\\b",
                        java.nio.charset.StandardCharsets.UTF_8), null).object().getString("histogram");
    }
}
