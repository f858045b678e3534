package dev.rowcast.impl.socket;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

import dev.rowcast.impl.config.RowcastSettings;
import dev.rowcast.impl.metrics.RowcastMetrics;

/**
 * The guarded workarounds for the container's per-socket costs and faults that the endpoint applies to each socket,
 * each on or off by its own setting (docs/architecture.md, "Platform notes"). The write buffer's is a servlet filter,
 * registered at boot.
 */
public record ContainerWorkarounds(IdleTimerBypass idleTimer, PreframedSend preframed,
        UpgradeRequestRelease upgradeRelease, ClosedSocketRelease closedRelease, LateInputGuard lateInput) {

    /** How long after a close the closed-socket workarounds first look at the connection. */
    private static final long CLOSE_DELAY_MILLIS = 1_000;

    /** Every workaround as the settings say. */
    public static ContainerWorkarounds of(RowcastSettings settings, ThreadFactory threads,
            ScheduledExecutorService timers, RowcastMetrics metrics) {
        return new ContainerWorkarounds(
                settings.outbound().idleTimerBypass()
                        ? IdleTimerBypass.create(threads, metrics::idleTimerRearmSkipped) : IdleTimerBypass.off(),
                settings.outbound().preframed() ? PreframedSend.create(metrics::preframedSocket) : PreframedSend.off(),
                settings.releaseUpgradeRequest()
                        ? UpgradeRequestRelease.create(metrics::upgradeRequestReleased) : UpgradeRequestRelease.off(),
                settings.container().releaseClosedSockets()
                        ? ClosedSocketRelease.create(timers, CLOSE_DELAY_MILLIS, () -> { }) : ClosedSocketRelease.off(),
                settings.container().dropInputAfterClose()
                        ? LateInputGuard.create(timers, CLOSE_DELAY_MILLIS, () -> { }) : LateInputGuard.off());
    }

    /** Stops what has a thread of its own. */
    public void stop() {
        idleTimer.stop();
    }
}
