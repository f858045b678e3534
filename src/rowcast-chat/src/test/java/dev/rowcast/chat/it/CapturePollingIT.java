package dev.rowcast.chat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonObject;

import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import dev.rowcast.chat.it.probe.PolledNote;
import dev.rowcast.chat.it.support.Deployments;
import dev.rowcast.chat.it.support.PayaraProcess;
import dev.rowcast.chat.it.support.Postgres;
import dev.rowcast.chat.it.support.WsClient;

/**
 * Polling mode (-Ppostgres only, its own Payara Micro): with {@code rowcast.capture.pollMillis} the installed function
 * sends no NOTIFY, and writes still arrive, in order, within the poll interval plus delivery. Prints the latencies
 * docs/benchmarks.md quotes.
 */
class CapturePollingIT {

    private static final int POLL_MILLIS = 100;

    @Test
    void should_deliver_writes_without_notify_within_the_poll_interval() throws Exception {
        WebArchive war = Deployments.chatWarWithEntities(Map.of(
                "rowcast.capture.installTriggers", "true",
                "rowcast.capture.pollMillis", String.valueOf(POLL_MILLIS)), PolledNote.class);
        try (PayaraProcess payara = PayaraProcess.deployOnPostgres(war); Connection sql = Postgres.outside()) {
            assertEquals(200, payara.get("/"), "deployed; log: " + payara.log().length());
            try (Statement statement = sql.createStatement(); ResultSet result = statement.executeQuery(
                    "SELECT prosrc FROM pg_proc WHERE proname = 'rowcast_capture'")) {
                assertTrue(result.next());
                assertFalse(result.getString(1).contains("pg_notify"), "polling mode installs no NOTIFY");
            }
            long topic = System.nanoTime() % 1_000_000_000L;
            List<Long> latencies = new ArrayList<>();
            try (WsClient client = WsClient.connect(payara.base(), "alice");
                    PreparedStatement insert = sql.prepareStatement("INSERT INTO polled_note (id, topic, body) "
                            + "VALUES ((SELECT coalesce(max(id), 0) + 1 FROM polled_note), ?, ?)")) {
                client.subscribe("polled_note", "topic", topic);
                for (int i = 0; i < 30; i++) {
                    insert.setLong(1, topic);
                    insert.setString(2, "p" + i);
                    long start = System.nanoTime();
                    insert.executeUpdate();
                    JsonObject event = client.next("change").getJsonObject("event");
                    latencies.add(Duration.ofNanos(System.nanoTime() - start).toMillis());
                    assertEquals("p" + i, event.getJsonObject("row").getString("body"), "in commit order");
                    Thread.sleep(37); // not in step with the poll
                }
                client.expectSilence(Duration.ofMillis(300));
            }
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            System.out.println("polling mode, pollMillis=" + POLL_MILLIS + ": commit-to-frame latency ms p50="
                    + sorted.get(sorted.size() / 2) + " p90=" + sorted.get(sorted.size() * 9 / 10) + " max="
                    + sorted.get(sorted.size() - 1) + " all=" + latencies);
            // the poll interval, plus delivery on a shared, loaded machine
            assertTrue(sorted.get(sorted.size() / 2) <= POLL_MILLIS + 400, "median latency: " + sorted);
        }
    }
}
