import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.rowcast.Capture;
import dev.rowcast.EntityChange;
import dev.rowcast.impl.bridge.CapturedChange;
import dev.rowcast.impl.model.ColumnModel;
import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.model.ScopeModel;
import dev.rowcast.impl.outbox.OutboxDecoder;
import dev.rowcast.impl.protocol.EventType;
import dev.rowcast.impl.protocol.Frames;
import dev.rowcast.spi.Position;
import dev.rowcast.spi.StreamId;

/**
 * Cluster mode: is a change better serialized once cluster-wide (by the relay, shipped through Redis) or once per
 * instance (today: the relay ships the outbox row, every instance decodes it and renders its frames)? Every instance
 * must decode the row either way, because visibility and row filters judge the Java row; what a cluster-wide
 * serialization could save is only the rendering, at the price of shipping and storing the frame text as well.
 * This measures both on the chat's message row: decode per row, render per (row, stream), and the bytes each path
 * puts on Redis. Run by scripts/benchmark.sh serialize-cost; see docs/benchmarks.md.
 */
public class SerializeCost {

    private static final ReactiveEntityModel MESSAGE = new ReactiveEntityModel("Message", Object.class, "message",
            "message", "id", "id", List.of(new ColumnModel("conversation", "conversation_id", true, Long.class),
                    new ColumnModel("author", "author", false, String.class),
                    new ColumnModel("body", "body", false, String.class),
                    new ColumnModel("createdAt", "created_at", false, Instant.class),
                    new ColumnModel("version", "version", false, Long.class)),
            List.of(new ScopeModel("conversation", "conversation_id", Long.class)), null, List.of(), Map.of(), 0,
            Long.class, Capture.DATABASE, "Message");

    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        OutboxDecoder decoder = new OutboxDecoder(List.of(MESSAGE));
        String[] outboxRows = new String[1024];
        for (int i = 0; i < outboxRows.length; i++) {
            outboxRows[i] = "{\"id\": " + (1000 + i) + ", \"conversation_id\": " + (i % 10) + ", \"author\": \"alice\", "
                    + "\"body\": \"" + "A message of about a hundred characters, typed in the chat. ".repeat(2)
                    + i + "\", \"created_at\": \"2026-11-29T07:36:31.5+01:00\", \"version\": 0}";
        }
        long sink = 0;
        for (int round = 0; round < 3; round++) { // the first two warm the JIT up
            long decodeNanos = 0;
            long renderNanos = 0;
            long frameChars = 0;
            long rowChars = 0;
            for (int i = 0; i < rows; i++) {
                String json = outboxRows[i & 1023];
                long start = System.nanoTime();
                CapturedChange captured = decoder.decode("message", "I", null, json).get(0);
                long decoded = System.nanoTime();
                EntityChange change = captured.change();
                String event = Frames.event(change, EventType.INSERT);
                String frame = Frames.change(new StreamId("message", "conversation_id", change.row()
                        .get("conversation_id")), new Position("e1", i + 1), event);
                long rendered = System.nanoTime();
                decodeNanos += decoded - start;
                renderNanos += rendered - decoded;
                frameChars += frame.length();
                rowChars += json.length();
                sink += frame.length();
            }
            if (round == 2) {
                System.out.printf(Locale.ROOT, "rows %d%ndecode per row: %.2f us%nrender per (row, stream): %.2f us%n"
                        + "outbox row on Redis: %d chars%nframe text a cluster-wide render would add: %d chars%n",
                        rows, decodeNanos / 1e3 / rows, renderNanos / 1e3 / rows, rowChars / rows, frameChars / rows);
            }
        }
        if (sink == 42) {
            System.out.println(); // keeps the work from being optimised away
        }
    }
}
