package dev.rowcast.impl.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.rowcast.ChangeType;
import dev.rowcast.EntityChange;
import dev.rowcast.impl.bridge.CapturedChange;
import dev.rowcast.impl.bridge.ReactiveChannels;
import dev.rowcast.impl.dispatch.ChangeDispatcher;
import dev.rowcast.impl.dispatch.EngineHealth;
import dev.rowcast.impl.metrics.Buckets;
import dev.rowcast.impl.metrics.ChannelMeters;
import dev.rowcast.impl.metrics.RowcastMetrics;
import dev.rowcast.impl.model.ColumnModel;
import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.model.ScopeModel;
import dev.rowcast.impl.model.SnapshotModel;
import dev.rowcast.spi.StreamId;

/**
 * The admin page's figures as a channel of Rowcast's own: one row, {@code id = "server"}, updated every second and
 * pushed through the engine like any change, to subscribers with the admin role only. A subscribe gets the latest
 * row as its snapshot. Nothing is built for the engine while nobody follows it but the row itself, once a second.
 */
public final class AdminChannel {

    public static final String CHANNEL = "rowcast_admin";
    public static final String ROW_ID = "server";

    /** The entity class the channel's changes name; there is no table. */
    public static final class Figures {
        private Figures() {
        }
    }

    private final RowcastMetrics metrics;
    private final Supplier<EngineHealth> health;
    private final ReactiveEntityModel model;
    private final StreamId stream = new StreamId(CHANNEL, "id", ROW_ID);
    private long[] lagBefore;
    private volatile Map<String, Object> latest;

    public AdminChannel(RowcastMetrics metrics, Supplier<EngineHealth> health, String role) {
        this.metrics = metrics;
        this.health = health;
        this.model = new ReactiveEntityModel("RowcastAdminFigures", Figures.class, CHANNEL, CHANNEL, "id", "id",
                List.of(new ColumnModel("figures", "figures", false)),
                List.of(new ScopeModel("id", "id", String.class)), new SnapshotModel(1, "id", "id", false),
                List.of(role), Map.of(), 0);
        this.lagBefore = metrics.lagBuckets().counts();
        this.latest = row();
    }

    /**
     * Makes the channel known to the protocol, with its snapshot.
     *
     * @return problems: an application channel of the same name
     */
    public List<String> register() {
        List<String> problems = ReactiveChannels.register(List.of(model));
        if (problems.isEmpty()) {
            ReactiveChannels.registerSnapshotSource(CHANNEL, (scope, value) -> ROW_ID.equals(value)
                    ? List.of(latest) : List.of());
        }
        return problems;
    }

    public void unregister() {
        ReactiveChannels.unregister(List.of(model));
    }

    /** Once a second, from a timer: the new figures, to whoever follows them. */
    public void tick(ChangeDispatcher dispatcher) {
        Map<String, Object> row = row();
        latest = row;
        CapturedChange change = new CapturedChange(model, new EntityChange(ChangeType.UPDATE, CHANNEL, CHANNEL,
                Figures.class, "id", ROW_ID, row, Map.of()));
        dispatcher.publishInternal(stream, () -> change);
    }

    /** The figures now; the lag percentiles are over the time since the last call. */
    synchronized Map<String, Object> row() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", ROW_ID);
        row.put("at", System.currentTimeMillis());
        EngineHealth engine = health.get();
        row.put("state", engine == null ? EngineHealth.State.STARTING.name() : engine.state().name());
        row.put("restarts", engine == null ? 0 : engine.restarts());
        row.put("queueTasks", engine == null ? 0 : engine.queuedTasks());
        row.put("queueBytes", engine == null ? 0 : engine.queuedBytes());
        row.put("dropped", metrics.droppedChanges());
        row.put("connectionsOpen", metrics.connectionsOpen());
        row.put("connectionsOpened", metrics.connectionsOpened());
        row.put("connectionsClosed", metrics.connectionsClosed());
        row.put("inbound", metrics.inboundMessages());
        long frames = 0;
        long bytes = 0;
        Map<String, Object> channels = new LinkedHashMap<>();
        for (ChannelMeters channel : metrics.channels()) {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("subscriptions", channel.subscriptions());
            figures.put("streams", channel.streams());
            figures.put("frames", channel.frames());
            figures.put("bytes", channel.bytes());
            channels.put(channel.channel(), figures);
            frames += channel.frames();
            bytes += channel.bytes();
        }
        row.put("frames", frames);
        row.put("bytes", bytes);
        row.put("channels", channels);
        Buckets lag = metrics.lagBuckets();
        long[] now = lag.counts();
        row.put("lagP50Ms", lag.quantile(lagBefore, now, 0.50));
        row.put("lagP99Ms", lag.quantile(lagBefore, now, 0.99));
        lagBefore = now;
        row.put("replayServed", metrics.replayServed());
        row.put("replayUnavailable", metrics.replayUnavailableCount());
        row.put("backpressurePauses", metrics.backpressurePauses());
        row.put("fellBehind", metrics.fellBehindCloses());
        row.put("closes", new LinkedHashMap<>(metrics.closesByCode()));
        Map<String, Object> recent = new LinkedHashMap<>();
        List<RowcastMetrics.Close> closes = metrics.recentCloses();
        for (int i = 0; i < closes.size(); i++) {
            recent.put(String.format("%02d", i), Map.of("at", closes.get(i).epochMillis(),
                    "code", closes.get(i).code()));
        }
        row.put("recentCloses", recent);
        row.put("errors", new LinkedHashMap<>(metrics.errorsByCode()));
        return row;
    }
}
