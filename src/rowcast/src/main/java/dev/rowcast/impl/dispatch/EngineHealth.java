package dev.rowcast.impl.dispatch;

/**
 * The dispatch engine's state, as health checks and operators see it.
 *
 * @param stuckMillis how long the current unit of work has run, when {@link State#STUCK}; else 0
 * @param droppedChanges committed changes dropped since start (their streams were reset)
 * @param restarts times a dead dispatch thread was replaced
 */
public record EngineHealth(State state, long stuckMillis, int queuedTasks, long queuedBytes, long droppedChanges,
        int restarts) {

    public enum State {
        /** Not started yet. */
        STARTING,
        RUNNING,
        /** A unit of work has run longer than {@code rowcast.dispatch.stuckMillis}; nothing else is delivered. */
        STUCK,
        /** The dispatch thread is gone and could not be replaced. */
        DEAD,
        STOPPED
    }

    /** False when stuck or dead: restarting the server is the cure. */
    public boolean live() {
        return state != State.STUCK && state != State.DEAD;
    }

    /** True only while delivering. */
    public boolean ready() {
        return state == State.RUNNING;
    }
}
