package dev.rowcast.chat.it.fuzz;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import dev.rowcast.chat.it.fuzz.Expect.Lane;
import dev.rowcast.chat.it.fuzz.Expect.Outcome;
import dev.rowcast.chat.it.fuzz.Oracle.SocketModel;
import dev.rowcast.chat.it.fuzz.Step.End;
import dev.rowcast.chat.it.fuzz.Step.EndKind;
import dev.rowcast.chat.it.fuzz.Step.Wire;

/**
 * One fuzzing socket at a time: connects as a random user, sends batches of steps, and checks every reply against
 * what is due, in its lane and in order, before the next batch; then closes or drops the connection and starts
 * again. Its frames follow from the run's seed and its number alone.
 */
final class Worker implements Runnable {

    private static final int RING = 32;

    private final int number;
    private final FuzzSettings settings;
    private final FuzzStats stats;
    private final AtomicLong budget;
    private final AtomicBoolean stop;
    private final int port;
    private final Generator generator;
    /** Masks and handshake keys: apart from the generator's, so that pongs we owe cannot shift its sequence. */
    private final Random masks;
    private final long timeoutNanos;

    private final ArrayDeque<String> sent = new ArrayDeque<>();
    private final ArrayDeque<String> received = new ArrayDeque<>();
    private long frameIndex;
    private long episode;
    private String episodeUser;

    private double tokens;
    private long tokensAt = System.nanoTime();

    Worker(int number, FuzzSettings settings, FuzzStats stats, AtomicLong budget, AtomicBoolean stop, int port,
            Oracle oracle, Generator.World world) {
        this.number = number;
        this.settings = settings;
        this.stats = stats;
        this.budget = budget;
        this.stop = stop;
        this.port = port;
        this.generator = new Generator(new Random(seed(settings.seed(), number)), oracle, world, settings.skip(),
                FuzzSettings.MAX_FRAME_BYTES, settings.floodOneIn());
        this.masks = new Random(~seed(settings.seed(), number));
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(settings.replyTimeoutMillis());
        this.tokens = settings.pacePerSecond() / 2.0;
    }

    static long seed(long runSeed, int worker) {
        return runSeed * 1_000_003L + worker * 7_919L + 17;
    }

    @Override
    public void run() {
        while (!stop.get() && budget.get() > 0) {
            try {
                episode();
            } catch (RuntimeException | IOException e) {
                violation("fuzzer", "the worker failed: " + e, "");
            }
        }
    }

    private boolean running() {
        return !stop.get() && budget.get() > 0;
    }

    // --- one connection ---

    private final class Pending {
        final ArrayDeque<Entry> sync = new ArrayDeque<>();
        final ArrayDeque<Entry> sub = new ArrayDeque<>();
        final ArrayDeque<byte[]> pongs = new ArrayDeque<>();
        Entry either;

        boolean isEmpty() {
            return size() == 0;
        }

        int size() {
            return sync.size() + sub.size() + pongs.size() + (either == null ? 0 : 1);
        }

        void add(Entry entry) {
            if (entry.step.reply().barrier()) {
                either = entry;
            } else if (entry.step.reply().lane() == Lane.SYNC) {
                sync.add(entry);
            } else {
                sub.add(entry);
            }
        }

        Entry oldest() {
            Entry a = either != null ? either : sync.peek();
            Entry b = sub.peek();
            return a == null ? b : b == null || a.frame < b.frame ? a : b;
        }

        void clear() {
            sync.clear();
            sub.clear();
            pongs.clear();
            either = null;
        }
    }

    private record Entry(Step step, long frame) {
    }

    /** Streams the socket follows by the replies it has read: subscribed adds one, unsubscribed removes it. */
    private final Set<Oracle.Stream> following = new HashSet<>();
    /**
     * Streams it followed at some time in this episode: presence and broadcast frames come from another thread than
     * the unsubscribed reply, so one may still arrive just after it.
     */
    private final Set<Oracle.Stream> followedOnce = new HashSet<>();

    private void episode() throws IOException {
        episode++;
        String flood = generator.flood();
        String user = generator.user();
        episodeUser = user;
        FuzzSocket socket;
        try {
            socket = FuzzSocket.connect(port, user, masks);
        } catch (IOException e) {
            violation("handshake", "the upgrade as " + user + " failed: " + e.getMessage(), "");
            sleep(500);
            return;
        }
        stats.count("connections");
        following.clear();
        followedOnce.clear();
        try {
            if (flood != null) {
                flood(socket, flood);
            } else {
                ordinary(socket, user);
            }
        } finally {
            socket.close();
        }
    }

    private void ordinary(FuzzSocket socket, String user) throws IOException {
        SocketModel model = new SocketModel(user);
        Pending pending = new Pending();
        int length = generator.episodeLength();
        Step carried = null;
        while (length > 0 && running()) {
            int batch = generator.batchSize();
            List<Step> steps = new ArrayList<>();
            while (steps.size() < batch && length > 0) {
                Step step = carried != null ? carried : generator.next(model);
                carried = null;
                if (!steps.isEmpty() && (step.alone() || confusable(step, steps))) {
                    carried = step;
                    break;
                }
                steps.add(step);
                length--;
                if (step.alone() || terminal(step)) {
                    break;
                }
            }
            if (!send(socket, steps, pending)) {
                return;
            }
            Step last = steps.get(steps.size() - 1);
            if (terminal(last)) {
                end(socket, last, pending, model);
                return;
            }
            if (!await(socket, pending, model, null)) {
                return;
            }
        }
        Step bye = new Step("close", null, List.of(Wire.frame(FuzzSocket.FIN | FuzzSocket.CLOSE,
                new byte[] { 0x03, (byte) 0xE8 })), Expect.NOTHING, List.of(),
                new End(EndKind.SERVER_CLOSES, new int[] { 1000 }, false, false));
        if (send(socket, List.of(bye), pending)) {
            end(socket, bye, pending, model);
        }
    }

    private static boolean terminal(Step step) {
        return step.end() != null && !step.end().orReply();
    }

    /**
     * Whether a reply due to the step could be taken for one due in the other lane to a step of the batch (the same
     * error with the same id): lanes are matched in order each, so such a step waits for the next batch.
     */
    private static boolean confusable(Step step, List<Step> batch) {
        for (Outcome o : step.reply().outcomes()) {
            for (Step earlier : batch) {
                for (Outcome p : earlier.reply().outcomes()) {
                    if (o.lane() != p.lane() && o.alike(p)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Writes the steps' frames, pacing messages, and registers what is due. False if the connection broke. */
    private boolean send(FuzzSocket socket, List<Step> steps, Pending pending) {
        try {
            for (Step step : steps) {
                long first = frameIndex + 1;
                for (Wire wire : step.wires()) {
                    if (wire.startsMessage()) {
                        pace(socket);
                    }
                    if (wire.raw()) {
                        socket.raw(wire.payload());
                    } else {
                        socket.frame(wire.first(), wire.payload(), wire.masked());
                    }
                    record(step.generator(), wire);
                    if (socket.pendingBytes() > 256 * 1024) {
                        socket.flush();
                    }
                }
                if (step.reply().expectsReply()) {
                    pending.add(new Entry(step, first));
                }
                pending.pongs.addAll(step.pongs());
            }
            socket.flush();
            return true;
        } catch (IOException e) {
            if (terminal(steps.get(steps.size() - 1))) {
                return true; // the server may close before it has read all: the end step reads why
            }
            // the server may have closed for a reason: read it
            try {
                FuzzSocket.Frame frame = socket.read(System.nanoTime() + timeoutNanos);
                unexpectedEnd(frame, null, pending);
            } catch (IOException again) {
                unexpectedEnd(null, again, pending);
            }
            return false;
        }
    }

    private void record(String generatorName, Wire wire) {
        frameIndex++;
        stats.frame(generatorName);
        budget.decrementAndGet();
        if (sent.size() == RING) {
            sent.removeFirst();
        }
        int opcode = wire.first() & 0x0F;
        String kind = wire.raw() ? "raw bytes" : switch (opcode) {
            case FuzzSocket.TEXT -> "text";
            case FuzzSocket.BINARY -> "binary";
            case FuzzSocket.CONTINUATION -> "continuation";
            case FuzzSocket.CLOSE -> "close";
            case FuzzSocket.PING -> "ping";
            case FuzzSocket.PONG -> "pong";
            default -> "opcode " + opcode;
        };
        String flags = wire.raw() ? "" : ((wire.first() & FuzzSocket.FIN) != 0 ? "" : " (no FIN)")
                + ((wire.first() & 0x70) != 0 ? " RSV=" + ((wire.first() >> 4) & 7) : "")
                + (wire.masked() ? "" : " unmasked");
        sent.add("      #" + frameIndex + " " + generatorName + ": " + kind + flags + ", " + wire.payload().length
                + " bytes: " + Fuzz.show(wire.payload(), 160));
    }

    private void pace(FuzzSocket socket) throws IOException {
        int rate = settings.pacePerSecond();
        long now = System.nanoTime();
        tokens = Math.min(rate / 2.0, tokens + (now - tokensAt) * rate / 1e9);
        tokensAt = now;
        if (tokens < 1) {
            socket.flush(); // nothing waits in our buffer while we wait
            long wait = (long) ((1 - tokens) * 1e9 / rate);
            sleep(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
            now = System.nanoTime();
            tokens = Math.min(rate / 2.0, tokens + (now - tokensAt) * rate / 1e9);
            tokensAt = now;
        }
        tokens -= 1;
    }

    /**
     * Reads until every due reply has come; a frame that is not due, or nothing for the timeout, is a violation.
     * False when the episode is over.
     */
    private boolean await(FuzzSocket socket, Pending pending, SocketModel model, Step closing) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (!pending.isEmpty() || closing != null) {
            FuzzSocket.Frame frame;
            try {
                frame = socket.read(deadline);
            } catch (FuzzSocket.Dropped e) {
                if (closing != null) {
                    violation(kindOf(closing), "expected close " + codes(closing) + ", but the connection"
                            + " dropped without a close frame (1006): " + e.getMessage(), "");
                    stats.close("1006");
                    return false;
                }
                unexpectedEnd(null, e, pending);
                return false;
            }
            if (frame == null) {
                if (closing != null) {
                    violation(kindOf(closing), "expected close " + codes(closing) + " within "
                            + settings.replyTimeoutMillis() + " ms; nothing came", "");
                } else {
                    Entry oldest = pending.oldest();
                    violation(oldest == null ? "control" : kindOf(oldest.step()), "no reply within "
                            + settings.replyTimeoutMillis() + " ms: " + due(pending), "");
                }
                return false;
            }
            int dueBefore = pending.size();
            switch (frame.opcode()) {
                case FuzzSocket.TEXT -> {
                    if (!reply(frame.text(), pending, model, closing)) {
                        return false;
                    }
                }
                case FuzzSocket.PONG -> {
                    byte[] due = pending.pongs.poll();
                    if (due == null || !Arrays.equals(due, frame.payload())) {
                        violation("control", "pong " + Fuzz.show(frame.payload(), 40) + " but "
                                + (due == null ? "no ping was waiting" : "the ping was " + Fuzz.show(due, 40)), "");
                        return false;
                    }
                }
                case FuzzSocket.CLOSE -> {
                    int code = frame.closeCode();
                    stats.close(Integer.toString(code));
                    if (closing != null) {
                        if (!contains(closing.end().closeCodes(), code)) {
                            violation(kindOf(closing), "expected close " + codes(closing) + ", got " + code
                                    + reason(frame), "");
                        }
                        return false;
                    }
                    Entry orClose = orClose(pending, code);
                    if (orClose != null) {
                        stats.count("unmasked frame refused with " + code);
                        return false;
                    }
                    unexpectedEnd(frame, null, pending);
                    return false;
                }
                default -> {
                    violation("server", "a frame with opcode " + frame.opcode() + ", " + frame.payload().length
                            + " bytes: the server sends only text frames", "");
                    return false;
                }
            }
            if (pending.size() < dueBefore) {
                // only a due reply is progress: changes of a followed stream must not keep a missing one waiting
                deadline = System.nanoTime() + timeoutNanos;
            }
        }
        return true;
    }

    private Entry orClose(Pending pending, int code) {
        for (Entry entry : pending.sync) {
            if (entry.step().end() != null && entry.step().end().orReply()
                    && contains(entry.step().end().closeCodes(), code)) {
                return entry;
            }
        }
        return null;
    }

    /** Matches one JSON reply. False when the episode is over. */
    private boolean reply(String text, Pending pending, SocketModel model, Step closing) {
        keepReceived(text);
        JsonObject reply;
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            reply = reader.readObject();
        } catch (RuntimeException e) {
            violation("server", "the server sent text that is not a JSON object: " + Fuzz.clip(text, 200), "");
            return false;
        }
        String type = reply.getString("type", "");
        String code = type.equals("error") ? reply.getString("code", "") : null;
        if (code != null) {
            stats.error(code);
            String message = reply.getString("message", "");
            if (message.isBlank() || message.length() > 300) {
                violation("server", "an error's message must explain, in a few words: " + Fuzz.clip(text, 400), "");
                return false;
            }
        }
        Lane lane;
        switch (type) {
            case "change", "snapshot" -> {
                stats.count(type + " frames");
                Oracle.Stream stream = streamOf(reply);
                if (stream == null || !following.contains(stream)) {
                    violation("server", "a " + type + " for a stream this socket does not follow (by the replies it"
                            + " read: " + following + "): " + Fuzz.clip(text, 300), "");
                    return false;
                }
                return true;
            }
            case "joined", "broadcast" -> {
                return unsolicited(type, reply, text, pending);
            }
            case "left" -> {
                if (pending.either == null || pending.either.step().reply().match(reply) == null) {
                    return unsolicited(type, reply, text, pending); // another user's last socket left
                }
                lane = Lane.TALK;
            }
            case "presence" -> lane = Lane.TALK;
            case "pong" -> lane = Lane.SYNC;
            case "subscribed", "unsubscribed" -> lane = Lane.SUB;
            case "error" -> {
                switch (code) {
                    case "replay_unavailable", "snapshot_unavailable" -> {
                        return true; // follow a subscribed reply, which was matched
                    }
                    case "subscription_lost" -> {
                        // the server could not keep a subscription (a failure there: ROWCAST-023, -101, -102): it may
                        // come at any time, for a stream this socket follows or subscribes to; nothing of it follows
                        stats.count("subscription_lost frames (a server-side failure)");
                        boolean known = unsolicited(code, reply, text, pending);
                        following.remove(streamOf(reply));
                        return known;
                    }
                    case "rate_limited" -> {
                        // this socket paces itself far below the limit: only a stalled server bunches its frames
                        stats.count("rate_limited on a paced socket (episode ended)");
                        return false;
                    }
                    case "not_subscribed" -> lane = Lane.TALK;
                    default -> lane = pending.either != null ? pending.either.step().reply().lane() : laneOf(code,
                            reply, pending);
                }
            }
            default -> {
                violation("server", "a frame of unknown type: " + Fuzz.clip(text, 300), "");
                return false;
            }
        }
        Entry entry = pending.either != null ? pending.either
                : lane == Lane.SYNC ? pending.sync.peek() : pending.sub.peek();
        if (entry == null) {
            if (closing != null) {
                violation(kindOf(closing), "expected close " + codes(closing) + ", got a reply instead: "
                        + Fuzz.clip(text, 300), "");
            } else {
                violation("server", "a reply no frame was waiting for (" + lane + " lane): " + Fuzz.clip(text, 300),
                        "");
            }
            return false;
        }
        Outcome outcome = entry.step().reply().match(reply);
        if (outcome == null && lane == Lane.SUB) {
            Entry later = pending.sub.stream().filter(e -> e.step().reply().match(reply) != null).findFirst()
                    .orElse(null);
            if (later != null) {
                violation("sub-order", "the reply to frame #" + later.frame() + " (" + later.step().generator()
                        + ") came before the one due to frame #" + entry.frame() + " (" + entry.step().reply()
                        + "): subscribe and unsubscribe replies must come in the order of the messages: "
                        + Fuzz.clip(text, 300), "");
                return false;
            }
        }
        if (outcome == null) {
            String kind = entry.step().feature() != null ? entry.step().feature() : entry.step().generator();
            violation(kind, "frame #" + entry.frame() + " (" + entry.step().generator() + ") expected "
                    + entry.step().reply() + ", got " + Fuzz.clip(text, 300), "");
            return false;
        }
        if (entry == pending.either) {
            pending.either = null;
        } else if (lane == Lane.SYNC) {
            pending.sync.poll();
        } else {
            pending.sub.poll();
        }
        if (entry.step().reply().deferredEffects()) {
            model.apply(outcome);
        }
        if (type.equals("subscribed")) {
            following.add(outcome.stream());
            followedOnce.add(outcome.stream());
        } else if (type.equals("unsubscribed")) {
            following.remove(outcome.stream());
        }
        stats.count("replies matched");
        return true;
    }

    /**
     * The lane of an error reply, when the error could answer a frame in either lane (invalid_message, say): the
     * lane whose oldest due frame accepts it, and of two, the one sent first. A frame answered at once (SYNC) is
     * answered before anything of a later frame, so the earlier of the two candidates is the one answered now, or,
     * when the earlier is in the SUB lane, the two replies are alike and either will do.
     */
    private static Lane laneOf(String code, JsonObject reply, Pending pending) {
        Entry sub = pending.sub.peek();
        Entry sync = pending.sync.peek();
        boolean subFits = sub != null && sub.step().reply().match(reply) != null;
        boolean syncFits = sync != null && sync.step().reply().match(reply) != null;
        if (subFits && syncFits) {
            return sub.frame() < sync.frame() ? Lane.SUB : Lane.SYNC;
        }
        if (subFits) {
            return Lane.SUB;
        }
        if (syncFits) {
            return Lane.SYNC;
        }
        return code.equals("forbidden") || code.equals("too_many_subscriptions") || code.equals("unknown_proposal")
                ? Lane.SUB : Lane.SYNC;
    }

    /**
     * A presence or broadcast frame nobody asked for: only of a stream this socket followed in this episode, or one
     * whose subscribe reply is still due (docs/protocol.md: such a frame may come just before {@code subscribed}).
     */
    private boolean unsolicited(String type, JsonObject reply, String text, Pending pending) {
        stats.count(type + " frames");
        Oracle.Stream stream = streamOf(reply);
        boolean subscribing = stream != null && pending.sub.stream().anyMatch(e -> e.step().reply().outcomes()
                .stream().anyMatch(o -> o.effect() > 0 && stream.equals(o.stream())));
        if (subscribing) {
            stats.count(type + " frames before their subscribed reply");
        }
        if (stream == null || !followedOnce.contains(stream) && !subscribing) {
            violation("server", "a " + type + " for a stream this socket never followed (by the replies it read: "
                    + followedOnce + "): " + Fuzz.clip(text, 300), "");
            return false;
        }
        return true;
    }

    private static Oracle.Stream streamOf(JsonObject frame) {
        String channel = frame.getString("channel", "");
        String column = channel.equals(Oracle.CHANNEL) ? Oracle.COLUMN
                : channel.equals(Oracle.ADMIN_CHANNEL) ? Oracle.ADMIN_COLUMN : null;
        if (column == null || !(frame.get("scope") instanceof JsonObject scope)
                || !column.equals(scope.getString("col", null))
                || !(scope.get("value") instanceof JsonNumber value)) {
            return null;
        }
        BigDecimal v = value.bigDecimalValue();
        try {
            return new Oracle.Stream(channel, column, v.longValueExact());
        } catch (ArithmeticException e) {
            return null;
        }
    }

    /** The last step of an episode: a drop, or a frame after which the server must close. */
    private void end(FuzzSocket socket, Step last, Pending pending, SocketModel model) throws IOException {
        End end = last.end();
        if (end.kind() != EndKind.SERVER_CLOSES) {
            if (!end.withOutstanding() && !await(socket, pending, model, null)) {
                return;
            }
            if (end.kind() == EndKind.RESET) {
                socket.reset();
                stats.close("drop-rst (fuzzer)");
            } else {
                socket.close();
                stats.close("drop-fin (fuzzer)");
            }
            return;
        }
        // replies still due (withOutstanding) may come before the close, or be lost: await stops at the close
        if (await(socket, pending, model, last)) {
            return;
        }
        if (last.wires().stream().anyMatch(w -> (w.first() & 0x0F) == FuzzSocket.CLOSE)) {
            return; // the server's close answered ours
        }
        try {
            socket.frame(FuzzSocket.FIN | FuzzSocket.CLOSE, new byte[] { 0x03, (byte) 0xE8 }, true);
            socket.flush();
        } catch (IOException e) {
            // the server may already have closed the TCP connection
        }
    }

    private void unexpectedEnd(FuzzSocket.Frame frame, IOException dropped, Pending pending) {
        String due = pending.isEmpty() ? "nothing was due" : "while " + due(pending);
        if (frame != null && frame.opcode() == FuzzSocket.CLOSE) {
            Entry oldest = pending.oldest();
            violation(oldest != null ? kindOf(oldest.step()) : "server", "the server closed with "
                    + frame.closeCode() + reason(frame) + " " + due, "");
        } else {
            stats.close("1006");
            Entry oldest = pending.oldest();
            violation(oldest != null ? kindOf(oldest.step()) : "server",
                    "the connection dropped without a close frame (1006)" + (dropped == null ? ""
                            : ": " + dropped.getMessage()) + " " + due, "");
        }
    }

    private static String reason(FuzzSocket.Frame close) {
        return close.payload().length > 2 ? " (" + new String(close.payload(), 2, close.payload().length - 2,
                java.nio.charset.StandardCharsets.UTF_8) + ")" : "";
    }

    private static String kindOf(Step step) {
        return step.feature() != null ? step.feature() : step.generator();
    }

    private String due(Pending pending) {
        Entry oldest = pending.oldest();
        if (oldest == null) {
            return pending.pongs.isEmpty() ? "nothing due" : "a pong is due to a ping control frame";
        }
        return "frame #" + oldest.frame() + " (" + oldest.step().generator() + ") expects "
                + oldest.step().reply();
    }

    private static String codes(Step step) {
        return Arrays.toString(step.end().closeCodes());
    }

    private static boolean contains(int[] codes, int code) {
        return codes != null && Arrays.stream(codes).anyMatch(c -> c == code);
    }

    // --- floods ---

    /**
     * Sends a burst far over the rate limit while reading: every frame is answered in order, or refused with
     * rate_limited; no more than the strike limit in a row; the end is a 4429 close frame, never a dropped
     * connection. A burst answered so fast that the limit must have applied, without any refusal, is a violation.
     */
    private void flood(FuzzSocket socket, String kind) throws IOException {
        stats.count("floods");
        int n = generator.floodLength(FuzzSettings.SERVER_BURST);
        int written = 0;
        int answered = 0;
        int refusedInRow = 0;
        boolean refused = false;
        boolean writing = true;
        long firstSent = 0;
        long lastReply = 0;
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            if (writing && written < n && !stop.get()) { // a flood started is sent whole, budget or not
                for (int i = 0; i < 64 && written < n; i++) {
                    Wire wire = Generator.floodFrame(kind, written);
                    socket.frame(wire.first(), wire.payload(), true);
                    record(kind, wire);
                    written++;
                }
                try {
                    socket.flush();
                } catch (IOException e) {
                    writing = false; // the server closed; what it sent before is still to be read
                }
                if (firstSent == 0) {
                    firstSent = System.nanoTime();
                }
            } else if (answered >= written) {
                break;
            }
            boolean more = writing && written < n && !stop.get();
            FuzzSocket.Frame frame;
            try {
                frame = socket.read(more ? System.nanoTime() + 1_000_000 : deadline);
            } catch (FuzzSocket.Dropped e) {
                stats.close("1006");
                violation(kind, "the flood of " + n + " frames ended without a close frame (1006) after "
                        + answered + " replies (" + (refused ? "" : "none ") + "rate_limited): " + e.getMessage(), "");
                return;
            }
            if (frame == null) {
                if (!more) {
                    violation(kind, "no reply within " + settings.replyTimeoutMillis() + " ms to flood frame #"
                            + answered + " of " + written + " sent", "");
                    return;
                }
                continue;
            }
            deadline = System.nanoTime() + timeoutNanos;
            if (frame.opcode() == FuzzSocket.CLOSE) {
                int code = frame.closeCode();
                stats.close(Integer.toString(code));
                if (code != 4429) {
                    violation(kind, "the flood was closed with " + code + ", not 4429", "");
                }
                socket.frame(FuzzSocket.FIN | FuzzSocket.CLOSE, frame.payload().length >= 2
                        ? Arrays.copyOf(frame.payload(), 2) : new byte[0], true);
                try {
                    socket.flush();
                } catch (IOException e) {
                    // gone already
                }
                return;
            }
            if (frame.opcode() != FuzzSocket.TEXT) {
                continue;
            }
            String text = frame.text();
            keepReceived(text);
            lastReply = System.nanoTime();
            JsonObject reply;
            try (JsonReader reader = Json.createReader(new StringReader(text))) {
                reply = reader.readObject();
            } catch (RuntimeException e) {
                violation(kind, "not JSON: " + Fuzz.clip(text, 200), "");
                return;
            }
            if (answered >= written) {
                violation(kind, "more replies than frames: " + Fuzz.clip(text, 200), "");
                return;
            }
            if ("rate_limited".equals(reply.getString("code", null)) && !reply.containsKey("id")) {
                stats.error("rate_limited");
                refused = true;
                if (++refusedInRow > FuzzSettings.STRIKES) {
                    violation(kind, "more than " + FuzzSettings.STRIKES + " rate_limited in a row, and still open",
                            "");
                    return;
                }
            } else {
                refusedInRow = 0;
                if (reply.containsKey("code")) {
                    stats.error(reply.getString("code", ""));
                }
                Expect due = Generator.floodReply(kind, answered);
                if (due.match(reply) == null) {
                    violation(kind, "flood frame #" + answered + ": expected " + due + " or rate_limited, got "
                            + Fuzz.clip(text, 200), "");
                    return;
                }
            }
            answered++;
        }
        if (!refused && written == n) {
            double seconds = (lastReply - firstSent) / 1e9;
            double allowed = FuzzSettings.SERVER_BURST + FuzzSettings.SERVER_RATE * seconds + 1;
            if (n > allowed) {
                violation(kind, n + " frames were all answered within " + String.format("%.3f", seconds)
                        + " s, none refused: more than the burst (" + FuzzSettings.SERVER_BURST + ") plus the rate ("
                        + FuzzSettings.SERVER_RATE + "/s) allows", "");
                return;
            }
            stats.count("floods served slower than the limit");
        }
        socket.frame(FuzzSocket.FIN | FuzzSocket.CLOSE, new byte[] { 0x03, (byte) 0xE8 }, true);
        try {
            socket.flush();
            socket.read(System.nanoTime() + timeoutNanos);
        } catch (IOException e) {
            // closing anyway
        }
    }

    // --- reporting ---

    private void keepReceived(String text) {
        if (received.size() == 16) {
            received.removeFirst();
        }
        received.add("      " + Fuzz.clip(text.replace("\n", "\\n"), 200));
    }

    private void violation(String kind, String what, String extra) {
        String where = "worker " + number + " (seed " + seed(settings.seed(), number) + "), episode " + episode
                + " as " + episodeUser + ", after frame #" + frameIndex + "; replay: "
                + settings.command(number);
        String context = "    last frames sent:\n" + String.join("\n", sent)
                + (received.isEmpty() ? "" : "\n    last frames received:\n" + String.join("\n", received))
                + (extra.isEmpty() ? "" : "\n" + extra);
        stats.violation(kind, what, where, context);
        if (stats.violationCount() >= settings.maxViolations()) {
            stop.set(true);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
