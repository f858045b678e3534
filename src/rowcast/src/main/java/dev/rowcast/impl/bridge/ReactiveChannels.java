package dev.rowcast.impl.bridge;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.model.SnapshotSource;

/**
 * The channels of this application, filled by the Hibernate integrator as each persistence unit boots.
 * <p>
 * Static because Hibernate, not CDI, creates the integrator, and Payara builds the EntityManagerFactory before CDI
 * is up. Rowcast lives in the WAR's WEB-INF/lib, so "static" means "per application".
 */
public final class ReactiveChannels {

    private static final Map<String, ReactiveEntityModel> BY_CHANNEL = new ConcurrentHashMap<>();
    private static final Map<String, SnapshotSource> SNAPSHOTS = new ConcurrentHashMap<>();
    private static final Map<String, ConnectionSource> DATABASES = new ConcurrentHashMap<>();
    /** Channels whose changes come from the database's outbox; Hibernate's listener skips them. */
    private static final Set<String> FROM_DATABASE = ConcurrentHashMap.newKeySet();

    private ReactiveChannels() {
    }

    /**
     * Registers the models of one persistence unit. An entity mapped by two units (say a JTA and a RESOURCE_LOCAL
     * unit) keeps one channel.
     *
     * @return problems: two different entities claiming one channel
     */
    public static List<String> register(Collection<ReactiveEntityModel> models) {
        return models.stream().map(ReactiveChannels::register).flatMap(Optional::stream).toList();
    }

    private static Optional<String> register(ReactiveEntityModel model) {
        ReactiveEntityModel existing = BY_CHANNEL.putIfAbsent(model.channel(), model);
        if (existing == null || existing.entityClass().equals(model.entityClass())) {
            return Optional.empty();
        }
        return Optional.of("@Reactive entities " + existing.entityClass().getName() + " and "
                + model.entityClass().getName() + " both use channel '" + model.channel()
                + "'. Fix: give one of them @Reactive(channel = \"...\") with another name.");
    }

    public static void unregister(Collection<ReactiveEntityModel> models) {
        models.forEach(model -> {
            if (BY_CHANNEL.remove(model.channel(), model)) {
                SNAPSHOTS.remove(model.channel());
                DATABASES.remove(model.channel());
                FROM_DATABASE.remove(model.channel());
            }
        });
    }

    /** The first persistence unit to offer a snapshot for a channel serves it. */
    public static void registerSnapshotSource(String channel, SnapshotSource source) {
        SNAPSHOTS.putIfAbsent(channel, source);
    }

    /** Wraps a channel's snapshot source, if it has one. */
    public static void decorateSnapshotSource(String channel, UnaryOperator<SnapshotSource> decorator) {
        SNAPSHOTS.computeIfPresent(channel, (name, source) -> decorator.apply(source));
    }

    /** The first persistence unit to offer its database for a channel serves its database capture. */
    public static void registerDatabase(String channel, ConnectionSource database) {
        DATABASES.putIfAbsent(channel, database);
    }

    public static Optional<ConnectionSource> database(String channel) {
        return Optional.ofNullable(DATABASES.get(channel));
    }

    /** From now on these channels are delivered from the database's outbox, not from Hibernate's flushes. */
    public static void captureFromDatabase(Collection<String> channels) {
        FROM_DATABASE.addAll(channels);
    }

    public static void stopCapturingFromDatabase(Collection<String> channels) {
        FROM_DATABASE.removeAll(channels);
    }

    public static boolean capturedFromDatabase(String channel) {
        return FROM_DATABASE.contains(channel);
    }

    public static Optional<SnapshotSource> snapshotSource(String channel) {
        return Optional.ofNullable(SNAPSHOTS.get(channel));
    }

    public static Optional<ReactiveEntityModel> find(String channel) {
        return Optional.ofNullable(BY_CHANNEL.get(channel));
    }

    public static Collection<ReactiveEntityModel> all() {
        return List.copyOf(BY_CHANNEL.values());
    }
}
