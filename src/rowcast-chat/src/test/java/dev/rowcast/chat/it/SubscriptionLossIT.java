package dev.rowcast.chat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import dev.rowcast.chat.it.probe.FlakyReplayStore;
import dev.rowcast.chat.it.support.DeployedChat;
import dev.rowcast.chat.it.support.Deployments;
import dev.rowcast.chat.it.support.WsClient;

/**
 * No subscription ends silently (issue #10): when the server cannot keep a subscription, because its resync failed
 * (here the application's replay store drops its connection for a moment, {@link FlakyReplayStore}), its socket
 * gets an unsolicited {@code subscription_lost}, and everyone else, on that stream and on others, goes on receiving.
 * The browser client, run under Node, subscribes again by itself and receives changes again.
 */
class SubscriptionLossIT extends DeployedChat {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.chatWarForSubscriptionLoss();
    }

    private static JsonObject subscribe(WsClient client, String id, long conversation) {
        JsonObject subscribed = client.request(WsClient.subscribeConversationFrame(conversation, null)
                .replaceFirst("\\{", "{\"id\":\"" + id + "\","));
        assertEquals("subscribed", subscribed.getString("type"), subscribed.toString());
        client.next("snapshot");
        return subscribed;
    }

    @Test
    void should_tell_the_socket_whose_resync_failed_and_keep_delivering_to_everyone_else() {
        long lostStream = api.createConversation("lost");
        long elsewhere = api.createConversation("elsewhere");
        try (WsClient first = WsClient.connect(base); WsClient second = WsClient.connect(base);
                WsClient other = WsClient.connect(base)) {
            subscribe(first, "first-x", lostStream);
            subscribe(first, "first-y", elsewhere);
            subscribe(second, "second-x", lostStream);
            subscribe(second, "second-y", elsewhere);
            subscribe(other, "other-y", elsewhere);
            api.postMessage(lostStream, "before");
            JsonObject firstBefore = first.next("change");
            JsonObject secondBefore = second.next("change");

            api.postMessage(lostStream, FlakyReplayStore.UNREACHABLE); // resets the stream; one resync fails
            JsonObject firstTold = first.next("error");
            JsonObject secondTold = second.next("error");
            boolean firstLost = firstTold.getString("code").equals("subscription_lost");
            WsClient lost = firstLost ? first : second;
            WsClient kept = firstLost ? second : first;
            JsonObject told = firstLost ? firstTold : secondTold;
            JsonObject reset = firstLost ? secondTold : firstTold;
            JsonObject lastSeen = firstLost ? firstBefore : secondBefore;

            assertEquals("subscription_lost", told.getString("code"), told.toString());
            assertEquals(firstLost ? "first-x" : "second-x", told.getString("id"),
                    "the id of the subscribe that made the subscription");
            assertEquals("message", told.getString("channel"));
            assertEquals("conversation_id", told.getJsonObject("scope").getString("col"));
            assertEquals(lostStream, told.getJsonObject("scope").getJsonNumber("value").longValue());
            assertFalse(told.containsKey("position"));

            assertEquals("replay_unavailable", reset.getString("code"), "the other subscriber resyncs: " + reset);
            assertFalse(reset.containsKey("id"), "unsolicited");
            kept.next("snapshot");

            api.postMessage(lostStream, "after");
            api.postMessage(elsewhere, "elsewhere");
            assertEquals("after", body(kept.next("change")), "the same stream goes on for the other subscriber");
            assertEquals("elsewhere", body(kept.next("change")));
            assertEquals("elsewhere", body(other.next("change")), "another socket's stream is untouched");
            JsonObject next = lost.next("change");
            assertEquals("elsewhere", body(next), "the lost subscription's socket keeps its other stream, and "
                    + "nothing more of the lost one ('after' was committed first): " + next);
            assertEquals(elsewhere, next.getJsonObject("scope").getJsonNumber("value").longValue());
            assertTrue(lost.isOpen(), "told, not closed");

            // subscribing again from its last position: that epoch is gone, so replay_unavailable and a snapshot
            String from = lastSeen.getJsonObject("position").toString();
            JsonObject again = lost.request(WsClient.subscribeConversationFrame(lostStream, from)
                    .replaceFirst("\\{", "{\"id\":\"again\","));
            assertEquals("subscribed", again.getString("type"), again.toString());
            JsonObject unavailable = lost.next("error");
            assertEquals("replay_unavailable", unavailable.getString("code"));
            assertEquals("again", unavailable.getString("id"));
            JsonObject snapshot = lost.next("snapshot");
            assertTrue(snapshot.toString().contains("\"after\""), "the snapshot has what it missed: " + snapshot);
            api.postMessage(lostStream, "back");
            assertEquals("back", body(lost.next("change")));
            assertEquals("back", body(kept.next("change")));
        }
    }

    @Test
    void should_let_the_browser_client_subscribe_again_by_itself_and_receive_changes() throws Exception {
        Path module = Path.of("../rowcast-client/rowcast.js").toAbsolutePath().normalize();
        Path script = Path.of("src/test/resources/it/lost-subscription-client.mjs").toAbsolutePath();
        assertTrue(Files.exists(module), module.toString());
        long conversation = api.createConversation("browser client");
        api.postMessage(conversation, "before");
        Process node = new ProcessBuilder("node", "--experimental-websocket", script.toString(), module.toString(),
                WsClient.endpoint(base, "").toString(), api.token("alice", 600), String.valueOf(conversation))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BlockingQueue<JsonObject> lines = new LinkedBlockingQueue<>();
        List<JsonObject> seen = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(WsClient.parse(line));
                }
            } catch (Exception e) {
                // the process ended
            }
        }, "node-client-output");
        reader.setDaemon(true);
        reader.start();
        try {
            await(lines, seen, line -> line.getString("on").equals("snapshot")
                    && line.getJsonArray("bodies").toString().contains("\"before\""));
            api.postMessage(conversation, "live");
            await(lines, seen, line -> line.getString("on").equals("change") && body(line, "live"));

            api.postMessage(conversation, FlakyReplayStore.UNREACHABLE); // its only subscriber's resync fails
            JsonObject lost = await(lines, seen, line -> line.getString("on").equals("error"));
            assertEquals("subscription_lost", lost.getString("code"), "the handler hears of it: " + seen);
            await(lines, seen, line -> line.getString("on").equals("subscribed"));
            JsonObject unavailable = await(lines, seen, line -> line.getString("on").equals("error"));
            assertEquals("replay_unavailable", unavailable.getString("code"),
                    "resubscribed from its last position, whose epoch is gone: " + seen);
            JsonObject snapshot = await(lines, seen, line -> line.getString("on").equals("snapshot"));
            assertTrue(snapshot.getJsonArray("bodies").toString().contains(FlakyReplayStore.UNREACHABLE), seen.toString());
            api.postMessage(conversation, "after");
            await(lines, seen, line -> line.getString("on").equals("change") && body(line, "after"));
            assertTrue(seen.stream().noneMatch(line -> line.getString("on").equals("state")
                    && line.getString("state").equals("reconnecting")), "the socket never dropped: " + seen);
        } finally {
            node.getOutputStream().close();
            if (!node.waitFor(5, TimeUnit.SECONDS)) {
                node.destroy();
            }
        }
    }

    /** The next line the client printed that matches, failing after 15 s. */
    private static JsonObject await(BlockingQueue<JsonObject> lines, List<JsonObject> seen,
            Predicate<JsonObject> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            JsonObject line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertNotNull(line, "the client printed nothing more that was expected; it printed " + seen);
            seen.add(line);
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    private static boolean body(JsonObject line, String expected) {
        return expected.equals(line.getString("body", null));
    }

    private static String body(JsonObject change) {
        return change.getJsonObject("event").getJsonObject("row").getString("body");
    }
}
