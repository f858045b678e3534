package dev.rowcast.impl.bridge;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The components readiness depends on besides the engine. Static, like the rest of this package, because some of
 * them are built by Hibernate before CDI is up; the jar sits in the WAR, so static means per application.
 */
public final class ReadinessContributors {

    private static final CopyOnWriteArrayList<ReadinessContributor> CONTRIBUTORS = new CopyOnWriteArrayList<>();

    private ReadinessContributors() {
    }

    public static void register(ReadinessContributor contributor) {
        CONTRIBUTORS.addIfAbsent(contributor);
    }

    public static void unregister(ReadinessContributor contributor) {
        CONTRIBUTORS.remove(contributor);
    }

    public static List<ReadinessContributor> contributors() {
        return List.copyOf(CONTRIBUTORS);
    }
}
