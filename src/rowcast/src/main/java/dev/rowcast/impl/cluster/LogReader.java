package dev.rowcast.impl.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.rowcast.impl.bridge.CaptureBridge;
import dev.rowcast.impl.bridge.CapturedChange;
import dev.rowcast.impl.outbox.HandOverProgress;
import dev.rowcast.impl.outbox.OutboxDecoder;
import dev.rowcast.spi.Position;
import dev.rowcast.spi.StreamId;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * Every instance runs one: reads the relay's log with XREAD BLOCK from where it left off (a pub/sub channel would
 * forget what was sent while this instance was disconnected) and hands the entries of each outbox transaction, with
 * their positions, to the engine as one completed transaction, in log order. The relay marks a transaction's last
 * row; the rows before it wait here for it. A gap in the log's seq (Redis lost its data, or the log was trimmed
 * past this reader) resyncs every followed stream: nothing is lost silently.
 */
final class LogReader implements Runnable {

    private static final Logger LOG = Logger.getLogger(LogReader.class.getName());
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final RedisCommands<String, String> redis;
    private final Keys keys;
    private final OutboxDecoder decoder;
    private final Runnable resyncFollowed;
    private final ClusterMeters meters;
    /** Whether every Redis connection of this instance is up: a resync must find the replay store's connected. */
    private final BooleanSupplier connected;
    private volatile boolean running = true;
    private volatile Thread thread;
    /** Whether the last read of the log succeeded; readiness is DOWN while it does not. */
    private volatile boolean reading = true;
    private String lastId;
    private long lastSeq;
    /** The rows read of an outbox transaction whose last row the relay has not yet put on the log. */
    private final List<CapturedChange> transaction = new ArrayList<>();
    private String transactionId;
    private long transactionLastRow;
    /** Every relayed outbox row up to this id was handed to the engine. */
    private final HandOverProgress delivered = new HandOverProgress(0);

    LogReader(RedisCommands<String, String> redis, Keys keys, OutboxDecoder decoder, Runnable resyncFollowed,
            ClusterMeters meters) {
        this(redis, keys, decoder, resyncFollowed, meters, () -> true);
    }

    LogReader(RedisCommands<String, String> redis, Keys keys, OutboxDecoder decoder, Runnable resyncFollowed,
            ClusterMeters meters, BooleanSupplier connected) {
        this.connected = connected;
        this.redis = redis;
        this.keys = keys;
        this.decoder = decoder;
        this.resyncFollowed = resyncFollowed;
        this.meters = meters;
    }

    /** Starts after the log's end: what was relayed before this instance started is not delivered by it. */
    void startAtEnd() {
        List<Object> end = Scripts.run(redis, Scripts.LOG_END, ScriptOutputType.MULTI,
                List.of(keys.log, keys.logSeq, keys.cursor), List.of());
        lastId = (String) end.get(0);
        lastSeq = Long.parseLong((String) end.get(1));
        delivered.set(Long.parseLong((String) end.get(2)));
    }

    /** The log seq this reader starts after; events at or before it were never delivered here. */
    long startSeq() {
        return lastSeq;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        long backoff = 100;
        boolean failed = false;
        while (running) {
            if (!connected.getAsBoolean()) {
                // Redis is back for this connection but not yet for the others (each reconnects on its own):
                // what is read next may resync streams, which reads their heads on another connection
                reading = false;
                sleep(50);
                continue;
            }
            try {
                List<StreamMessage<String, String>> read = redis.xread(XReadArgs.Builder.block(1_000).count(500),
                        XReadArgs.StreamOffset.from(keys.log, lastId));
                if (failed) {
                    LOG.info(() -> "Rowcast: Redis is back; reading the cluster log on after " + lastId);
                    failed = false;
                    meters.reconnects.inc();
                }
                reading = true;
                backoff = 100;
                if (read == null || read.isEmpty()) {
                    caughtUp();
                    continue;
                }
                for (StreamMessage<String, String> message : read) {
                    handOver(message.getId(), message.getBody());
                }
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                reading = false;
                meters.readErrors.inc();
                if (!failed) {
                    LOG.log(Level.WARNING, "ROWCAST-062: cannot read the cluster log from Redis; retrying. Changes are "
                            + "kept in the database outbox meanwhile", e);
                }
                failed = true;
                sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
            }
        }
    }

    /** Whether the last read of the log succeeded. */
    boolean reading() {
        return reading;
    }

    /** Nothing new: when the log still ends where this reader is, every row up to the relay cursor was handed over. */
    private void caughtUp() {
        if (transactionId != null) {
            return; // a relay died inside a transaction: the next one relays its rest
        }
        List<Object> end = Scripts.run(redis, Scripts.LOG_END, ScriptOutputType.MULTI,
                List.of(keys.log, keys.logSeq, keys.cursor), List.of());
        long cursor = Long.parseLong((String) end.get(2));
        if (Long.parseLong((String) end.get(1)) == lastSeq && cursor >= 0) {
            delivered.advanceTo(cursor);
        }
    }

    private void handOver(String id, Map<String, String> entry) {
        long seq = Long.parseLong(entry.get("n"));
        String txid = entry.get("x");
        if (seq != lastSeq + 1) {
            hand(); // what was read of a transaction before the gap is delivered, then everything resyncs
            LOG.severe("ROWCAST-063: the cluster log jumped from " + lastSeq + " to " + seq + " (Redis lost its data, or "
                    + "this instance fell behind the log's length); every followed stream resyncs");
            meters.resyncs.inc();
            resyncFollowed.run();
        } else if (transactionId != null && !transactionId.equals(txid)) {
            hand(); // the relay that began it is gone and its rest will not come: deliver what there is
        }
        String relayedAt = entry.get("w");
        if (relayedAt != null) {
            meters.busLag.record(Math.max(0, System.currentTimeMillis() - Long.parseLong(relayedAt)));
        }
        Iterator<String> positions = split(entry.get("s")).iterator();
        for (CapturedChange change : decoder.decode(entry.get("t"), entry.get("p"), blankToNull(entry.get("b")),
                blankToNull(entry.get("a")))) {
            Map<StreamId, Position> at = new HashMap<>();
            for (StreamsOf.On on : StreamsOf.of(change)) {
                if (positions.hasNext()) { // else the engine resets that stream: the relay saw other streams
                    at.put(on.stream(), position(positions.next()));
                }
            }
            transaction.add(new CapturedChange(change.model(), change.change(), at, seq));
        }
        transactionId = txid;
        transactionLastRow = Long.parseLong(entry.get("o"));
        lastId = id;
        lastSeq = seq;
        if (!"0".equals(entry.get("l"))) { // the transaction's last row (a relay before the mark: every row)
            hand();
        }
    }

    /** Hands the rows read of the current transaction to the engine as one transaction. */
    private void hand() {
        if (transactionId == null) {
            return;
        }
        // one thread takes them, so tickets follow log order
        CaptureBridge.complete(CaptureBridge.takeTicket(), List.copyOf(transaction), null);
        transaction.clear();
        transactionId = null;
        delivered.advanceTo(transactionLastRow);
    }

    boolean awaitDelivered(long id, long timeoutMillis) throws InterruptedException {
        return delivered.awaitReached(id, timeoutMillis);
    }

    long delivered() {
        return delivered.current();
    }

    void stop() {
        running = false;
        Thread reader = thread;
        if (reader != null) {
            try {
                reader.join(2_000); // XREAD blocks at most a second
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static Position position(String text) {
        int colon = text.lastIndexOf(':');
        return new Position(text.substring(0, colon), Long.parseLong(text.substring(colon + 1)));
    }

    private static List<String> split(String positions) {
        return positions == null || positions.isEmpty() ? List.of() : List.of(positions.split(","));
    }

    private static String blankToNull(String json) {
        return json == null || json.isEmpty() ? null : json;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
