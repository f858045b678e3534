package dev.rowcast.chat.it.fuzz;

import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import dev.rowcast.chat.it.support.ChatApi;

/**
 * The honest side of a fuzz run: a writer posts messages to one conversation through the REST API at a steady
 * rate, and its members alice, bob and eve follow it, each on a JDK WebSocket, dropping and resuming their
 * connection now and then with {@code from}. Each must receive every change, in order, with contiguous seq (or be
 * told replay_unavailable and get a snapshot); a client that falls too far behind the writer fails the run.
 */
public final class Honest {

    private static final List<String> MEMBERS = List.of("alice", "bob", "eve");
    private static final Duration LAG_BOUND = Duration.ofSeconds(20);

    /** One message the writer posted: the n-th has seq n in the conversation's stream. */
    private record Posted(long id, String author, boolean isPrivate) {
    }

    private final URL base;
    private final long conversation;
    private final FuzzStats stats;
    private final FuzzSettings settings;
    private final AtomicBoolean stop;
    private final ChatApi api;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<Posted> posted = new ArrayList<>();
    private final List<Client> clients = new ArrayList<>();
    private final ArrayDeque<long[]> history = new ArrayDeque<>();
    private volatile boolean writing = true;
    private Thread writer;
    private Thread monitor;

    public Honest(URL base, long conversation, FuzzStats stats, FuzzSettings settings, AtomicBoolean stop) {
        this.base = base;
        this.conversation = conversation;
        this.stats = stats;
        this.settings = settings;
        this.stop = stop;
        this.api = new ChatApi(base);
    }

    /** Connects the members and waits for their snapshots, then starts the writer. */
    public void start() throws Exception {
        for (String user : MEMBERS) {
            Client client = new Client(user);
            clients.add(client);
            client.connect();
        }
        for (Client client : clients) {
            client.awaitApplied(0, Duration.ofSeconds(30));
        }
        writer = new Thread(this::write, "fuzz-honest-writer");
        writer.start();
        monitor = new Thread(this::watch, "fuzz-honest-monitor");
        monitor.setDaemon(true);
        monitor.start();
    }

    /** The stream's epoch, as the first member saw it. */
    public String epoch() {
        return clients.get(0).epoch;
    }

    private void write() {
        long interval = 1_000_000_000L / Math.max(1, settings.writesPerSecond());
        long next = System.nanoTime();
        java.util.Random random = new java.util.Random(settings.seed());
        while (writing) {
            int n = size() + 1;
            String author = MEMBERS.get(n % MEMBERS.size());
            boolean isPrivate = random.nextInt(10) == 0;
            ChatApi.Reply reply = api.as(author).call("POST", "api/conversations/" + conversation + "/messages",
                    "{\"body\":\"fuzz-" + n + "-" + author + "\",\"private\":" + isPrivate + "}");
            if (reply.status() != 201) {
                stats.violation("honest", "the writer's POST #" + n + " got " + reply.status() + ": "
                        + Fuzz.clip(reply.body(), 200), "writer", "");
                sleep(200);
                continue;
            }
            synchronized (posted) {
                posted.add(new Posted(reply.object().getJsonNumber("id").longValue(), author, isPrivate));
            }
            next += interval;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                sleep(TimeUnit.NANOSECONDS.toMillis(wait));
            } else {
                next = System.nanoTime();
            }
        }
    }

    private int size() {
        synchronized (posted) {
            return posted.size();
        }
    }

    /** Each second: is every member close enough behind the writer? Now and then a member reconnects. */
    private void watch() {
        java.util.Random random = new java.util.Random(settings.seed() + 1);
        long nextReconnect = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        int turn = 0;
        while (!Thread.currentThread().isInterrupted()) {
            sleep(1000);
            long now = System.nanoTime();
            history.add(new long[] { now, size() });
            while (history.size() > 1 && now - history.peekFirst()[0] > LAG_BOUND.toNanos()) {
                long[] old = history.pollFirst();
                for (Client client : clients) {
                    if (client.applied() < old[1] && !client.stalled) {
                        client.stalled = true;
                        stats.violation("honest", client.user + " stalled: it applied seq " + client.applied()
                                + ", while " + old[1] + " changes were committed more than " + LAG_BOUND.toSeconds()
                                + " s ago", "honest client " + client.user, "");
                        stop.set(true); // delivery stopped: fuzzing on proves nothing more
                    }
                }
            }
            if (writing && now > nextReconnect) {
                Client client = clients.get(turn++ % clients.size());
                client.reconnect(random.nextBoolean());
                nextReconnect = now + TimeUnit.MILLISECONDS.toNanos(2000 + random.nextInt(6000));
            }
        }
    }

    /** What the honest side saw, once the writer has stopped and every member has caught up (or not). */
    public record Result(int posted, long lost, long skippedByResync, long live, long replayed, long reconnects,
            long resyncs, List<String> perClient) {
    }

    public Result finish() throws InterruptedException {
        writing = false;
        writer.join(30_000);
        int total = size();
        // a member that stalled while fuzzing will not catch up: waiting long for it proves nothing
        boolean stalled = clients.stream().anyMatch(c -> c.stalled);
        for (Client client : clients) {
            client.awaitApplied(total, Duration.ofSeconds(stalled ? 5 : 60));
        }
        monitor.interrupt();
        monitor.join(5_000);
        long lost = 0;
        long skipped = 0;
        long live = 0;
        long replayed = 0;
        long reconnects = 0;
        long resyncs = 0;
        List<String> perClient = new ArrayList<>();
        for (Client client : clients) {
            long[] verdict = client.verify(total);
            lost += verdict[0];
            skipped += verdict[1];
            live += client.live;
            replayed += client.replayed;
            reconnects += client.reconnects;
            resyncs += client.resyncs;
            perClient.add(client.user + ": applied seq " + client.applied() + " of " + total + ", " + client.live
                    + " live, " + client.replayed + " replayed, " + client.reconnects + " reconnects, "
                    + client.resyncs + " resyncs, lost " + verdict[0]);
            client.close();
        }
        return new Result(total, lost, skipped, live, replayed, reconnects, resyncs, perClient);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One member following the conversation. Frames are handled one at a time, under its lock. */
    private final class Client implements WebSocket.Listener {

        final String user;
        String epoch;
        private long applied = -1;
        private boolean awaitingSnapshot;
        private int generation;
        private WebSocket socket;
        private final StringBuilder partial = new StringBuilder();
        /** seq -> row id applied (-1: a hidden event). */
        private final Map<Long, Long> events = new HashMap<>();
        /** Snapshots: the seq range each covers, and the ids of its rows. */
        private final List<long[]> snapshotRanges = new ArrayList<>();
        private final List<Set<Long>> snapshotRows = new ArrayList<>();
        long live;
        long replayed;
        long reconnects;
        long resyncs;
        volatile boolean stalled;
        private boolean closing;

        Client(String user) {
            this.user = user;
        }

        synchronized long applied() {
            return applied;
        }

        synchronized void connect() throws Exception {
            int mine = ++generation;
            URI uri = URI.create(base.toString().replaceFirst("^http", "ws") + "ws");
            WebSocket.Listener listener = new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    Client.this.onText(mine, data, last);
                    ws.request(1);
                    return null;
                }

                @Override
                public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                    Client.this.onClose(mine, code, reason);
                    return null;
                }

                @Override
                public void onError(WebSocket ws, Throwable error) {
                    Client.this.onClose(mine, 1006, String.valueOf(error));
                }
            };
            socket = http.newWebSocketBuilder().header("Authorization", ChatApi.basic(user, user))
                    .connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, listener).get(20, TimeUnit.SECONDS);
            partial.setLength(0);
            String from = epoch == null ? "" : ",\"from\":{\"epoch\":\"" + epoch + "\",\"seq\":" + applied + "}";
            awaitingSnapshot = epoch == null;
            socket.sendText("{\"type\":\"subscribe\",\"id\":\"h" + mine + "\",\"channel\":\"message\","
                    + "\"scope\":{\"col\":\"conversation_id\",\"value\":" + conversation + "}" + from + "}", true)
                    .get(10, TimeUnit.SECONDS);
        }

        /** Subscribes again on the same socket, from the last position applied. */
        private void resubscribe() {
            String from = epoch == null ? "" : ",\"from\":{\"epoch\":\"" + epoch + "\",\"seq\":" + applied + "}";
            awaitingSnapshot = epoch == null;
            socket.sendText("{\"type\":\"subscribe\",\"id\":\"h" + generation + "\",\"channel\":\"message\","
                    + "\"scope\":{\"col\":\"conversation_id\",\"value\":" + conversation + "}" + from + "}", true);
        }

        /** Drops the connection (abruptly or with a close frame) and resumes from the last position applied. */
        synchronized void reconnect(boolean abrupt) {
            reconnects++;
            WebSocket old = socket;
            generation++; // frames still coming on the old socket are ignored from now on
            if (abrupt) {
                old.abort();
            } else {
                old.sendClose(WebSocket.NORMAL_CLOSURE, "bye").whenComplete((ws, e) -> old.abort());
            }
            try {
                connect();
            } catch (Exception e) {
                stats.violation("honest", user + " could not reconnect: " + e, "honest client " + user, "");
                stop.set(true);
            }
        }

        synchronized void onText(int from, CharSequence data, boolean last) {
            if (from != generation) {
                return;
            }
            partial.append(data);
            if (!last) {
                return;
            }
            String text = partial.toString();
            partial.setLength(0);
            JsonObject frame;
            try (JsonReader reader = Json.createReader(new StringReader(text))) {
                frame = reader.readObject();
                handle(frame, text);
            } catch (RuntimeException e) {
                fail("could not read " + Fuzz.clip(text, 300) + ": " + e);
            }
            notifyAll();
        }

        private void handle(JsonObject frame, String text) {
            switch (frame.getString("type", "")) {
                case "subscribed" -> {
                    JsonObject position = frame.getJsonObject("position");
                    if (!("h" + generation).equals(frame.getString("id", null))
                            || frame.getJsonObject("scope").getJsonNumber("value").longValue() != conversation) {
                        fail("a subscribed reply not for its request: " + text);
                    }
                    if (epoch == null) {
                        epoch = position.getString("epoch");
                    } else if (!epoch.equals(position.getString("epoch"))) {
                        fail("the stream's epoch changed while it had subscribers: " + text);
                    }
                }
                case "snapshot" -> {
                    JsonObject position = frame.getJsonObject("position");
                    long seq = position.getJsonNumber("seq").longValue();
                    if (!awaitingSnapshot) {
                        fail("a snapshot nobody asked for: " + Fuzz.clip(text, 200));
                    } else if (seq < applied) {
                        fail("a snapshot at seq " + seq + ", older than seq " + applied + " already applied");
                    }
                    Set<Long> rows = new HashSet<>();
                    frame.getJsonArray("rows").forEach(r -> rows.add(r.asJsonObject().getJsonNumber("id").longValue()));
                    snapshotRanges.add(new long[] { Math.max(applied, 0), seq });
                    snapshotRows.add(rows);
                    applied = seq;
                    awaitingSnapshot = false;
                }
                case "change" -> change(frame, text);
                case "error" -> {
                    if ("replay_unavailable".equals(frame.getString("code", null)) && !awaitingSnapshot) {
                        resyncs++;
                        awaitingSnapshot = true; // a snapshot follows
                    } else if ("subscription_lost".equals(frame.getString("code", null))) {
                        // the server could not keep the subscription: subscribe again from here, as the JS client does
                        stats.count("subscription_lost frames (a server-side failure)");
                        resubscribe();
                    } else {
                        fail("an error: " + text);
                    }
                }
                case "pong" -> {
                    // not asked for, harmless
                }
                case "broadcast", "joined", "left" -> {
                    // fuzzing sockets talk on this stream too: ephemeral, no position
                }
                default -> fail("an unexpected frame: " + Fuzz.clip(text, 200));
            }
        }

        private void change(JsonObject frame, String text) {
            JsonObject position = frame.getJsonObject("position");
            long seq = position.getJsonNumber("seq").longValue();
            if (awaitingSnapshot) {
                fail("a change before the snapshot it should follow: " + Fuzz.clip(text, 200));
                return;
            }
            if (!position.getString("epoch").equals(epoch)) {
                fail("a change of another epoch: " + Fuzz.clip(text, 200));
                return;
            }
            if (seq != applied + 1) {
                fail((seq > applied + 1 ? "a gap" : "a change again") + ": seq " + seq + " after " + applied
                        + ": " + Fuzz.clip(text, 200));
                applied = Math.max(applied, seq); // go on, to see the rest
                return;
            }
            JsonObject event = frame.getJsonObject("event");
            String type = event == null ? "" : event.getString("type", "");
            if (type.equals("hidden")) {
                events.put(seq, -1L);
            } else if (type.equals("afterInsert")) {
                events.put(seq, event.getJsonObject("row").getJsonNumber("id").longValue());
            } else {
                fail("an event that no write made: " + Fuzz.clip(text, 200));
            }
            if (frame.get("replayed") == JsonValue.TRUE) {
                replayed++;
            } else {
                live++;
            }
            applied = seq;
        }

        synchronized void onClose(int from, int code, String reason) {
            if (from == generation && !closing) {
                fail("the server closed the connection: " + code + " " + reason);
            }
        }

        private void fail(String what) {
            stats.violation("honest", user + ": " + what, "honest client " + user, "");
        }

        synchronized void awaitApplied(long seq, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (applied < seq) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail("did not catch up: applied seq " + applied + " of " + seq);
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        /** [lost, skipped by a resync snapshot] over seq 1..total. */
        synchronized long[] verify(int total) {
            long lost = 0;
            long skipped = 0;
            List<Posted> written;
            synchronized (posted) {
                written = List.copyOf(posted);
            }
            for (int seq = 1; seq <= total; seq++) {
                Posted p = written.get(seq - 1);
                boolean visible = !p.isPrivate() || p.author().equals(user);
                Long got = events.get((long) seq);
                if (got != null) {
                    if (got != (visible ? p.id() : -1L)) {
                        fail("seq " + seq + " carried " + (got < 0 ? "a hidden event" : "row " + got) + ", but the "
                                + seq + "th message posted was " + p.id() + (visible ? "" : " (private, hidden)"));
                    }
                    continue;
                }
                int covering = -1;
                for (int i = 0; i < snapshotRanges.size(); i++) {
                    if (seq > snapshotRanges.get(i)[0] && seq <= snapshotRanges.get(i)[1]) {
                        covering = i;
                    }
                }
                if (covering < 0) {
                    lost++;
                } else if (visible && !snapshotRows.get(covering).contains(p.id())) {
                    skipped++; // older than the snapshot's limit: a documented resync may skip it
                }
            }
            if (lost > 0) {
                fail("lost " + lost + " of " + total + " changes");
            }
            return new long[] { lost, skipped };
        }

        synchronized void close() {
            closing = true;
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").whenComplete((ws, e) -> socket.abort());
        }
    }
}
