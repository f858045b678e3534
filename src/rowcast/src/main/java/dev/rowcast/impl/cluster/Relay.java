package dev.rowcast.impl.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

import dev.rowcast.impl.bridge.CapturedChange;
import dev.rowcast.impl.config.RowcastSettings;
import dev.rowcast.impl.outbox.OutboxDecoder;
import dev.rowcast.impl.outbox.OutboxRelay;
import dev.rowcast.impl.outbox.OutboxRow;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * The outbox reader's side in cluster mode: holds the lease (so one instance relays at a time), and relays each
 * outbox row with one script that gives it its positions. The script skips rows at or before the relay cursor, so a
 * relay that took over from a dead one, or two that briefly both think they lead, relay each row once.
 */
final class Relay implements OutboxRelay {

    private static final Logger LOG = Logger.getLogger(Relay.class.getName());
    /** The global log: long enough for an instance that paused a few seconds under load. */
    private static final int LOG_LENGTH = 100_000;

    private final RedisCommands<String, String> redis;
    private final Keys keys;
    private final OutboxDecoder decoder;
    private final RowcastSettings.Cluster settings;
    private final LogReader log;
    private final String owner;
    private volatile boolean leading;
    /** When the lease was last taken or renewed: it lives leaseMillis from then. */
    private volatile long claimedNanos;

    Relay(RedisCommands<String, String> redis, Keys keys, OutboxDecoder decoder, RowcastSettings.Cluster settings,
            LogReader log, String owner) {
        this.redis = redis;
        this.keys = keys;
        this.decoder = decoder;
        this.settings = settings;
        this.log = log;
        this.owner = owner;
    }

    @Override
    public String name() {
        return settings.keyPrefix();
    }

    @Override
    public long claim(LongSupplier stored) {
        Long held = Scripts.run(redis, Scripts.LEASE, ScriptOutputType.INTEGER, List.of(keys.lease),
                List.of(owner, String.valueOf(settings.leaseMillis())));
        claimedNanos = System.nanoTime();
        if (held == null || held == 0) {
            if (leading) {
                leading = false;
                LOG.warning(() -> "ROWCAST-060: this instance lost the relay lease; another instance relays the outbox");
            }
            return -1;
        }
        String cursor = redis.get(keys.cursor);
        if (cursor == null) {
            // first start of the cluster, or a Redis that lost its data: the cursor kept in the database
            long from = stored.getAsLong();
            redis.set(keys.cursor, String.valueOf(from), SetArgs.Builder.nx());
            cursor = redis.get(keys.cursor);
            LOG.warning("ROWCAST-061: Redis had no relay cursor; relaying the outbox after id " + cursor
                    + " (the cursor kept in the database)");
        }
        if (!leading) {
            leading = true;
            String from = cursor;
            LOG.info(() -> "Rowcast: this instance holds the relay lease; relaying the outbox after id " + from);
        }
        return Long.parseLong(cursor);
    }

    /** Whether this instance holds the lease now, as far as it knows: renewed within leaseMillis. */
    boolean holdsLease() {
        return leading && System.nanoTime() - claimedNanos < TimeUnit.MILLISECONDS.toNanos(settings.leaseMillis());
    }

    @Override
    public void relay(List<OutboxRow> transaction) {
        for (int i = 0; i < transaction.size(); i++) {
            OutboxRow row = transaction.get(i);
            List<String> keys = new ArrayList<>(List.of(this.keys.cursor, this.keys.log, this.keys.logSeq));
            List<String> types = new ArrayList<>();
            for (CapturedChange change : decoder.decode(row.table(), row.op().strip(), row.oldRow(), row.newRow())) {
                for (StreamsOf.On on : StreamsOf.of(change)) {
                    keys.add(this.keys.stream(on.stream(), "seq"));
                    keys.add(this.keys.stream(on.stream(), "epoch"));
                    keys.add(this.keys.stream(on.stream(), "history"));
                    types.add(on.type());
                }
            }
            long now = System.currentTimeMillis();
            List<String> args = new ArrayList<>(List.of(String.valueOf(row.id()), row.txid(), row.table(),
                    row.op().strip(), row.oldRow() == null ? "" : row.oldRow(),
                    row.newRow() == null ? "" : row.newRow(), String.valueOf(settings.historyLength()),
                    String.valueOf(now - TimeUnit.SECONDS.toMillis(settings.historySeconds())), newEpochBase(),
                    String.valueOf(ttlMillis(settings)), String.valueOf(LOG_LENGTH), String.valueOf(now),
                    i == transaction.size() - 1 ? "1" : "0")); // readers group a transaction's rows again
            args.addAll(types);
            Scripts.run(redis, Scripts.RELAY, ScriptOutputType.INTEGER, keys, args);
        }
    }

    /** Stream keys outlive their history by a day: an idle stream keeps its epoch that long. */
    static long ttlMillis(RowcastSettings.Cluster settings) {
        return TimeUnit.SECONDS.toMillis(settings.historySeconds()) + TimeUnit.DAYS.toMillis(1);
    }

    /** Never used before for any stream: time and randomness. */
    static String newEpochBase() {
        return Long.toString(System.currentTimeMillis(), 36) + Long.toString(ThreadLocalRandom.current().nextLong()
                & Long.MAX_VALUE, 36);
    }

    @Override
    public boolean awaitDelivered(long id, long timeoutMillis) throws InterruptedException {
        return log.awaitDelivered(id, timeoutMillis);
    }

    @Override
    public long delivered() {
        return log.delivered();
    }
}
