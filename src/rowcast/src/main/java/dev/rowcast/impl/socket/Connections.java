package dev.rowcast.impl.socket;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.websocket.CloseReason;

import dev.rowcast.impl.protocol.CloseCodes;

/** Every open connection, for heartbeats and for closing them all at shutdown. */
public final class Connections {

    private final Set<ClientConnection> open = ConcurrentHashMap.newKeySet();

    void add(ClientConnection connection) {
        open.add(connection);
    }

    void remove(ClientConnection connection) {
        open.remove(connection);
    }

    /** One heartbeat round: closes connections whose last ping went unanswered, pings the others. */
    public void heartbeat(long timeoutMillis) {
        long now = System.nanoTime();
        long timeout = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (ClientConnection connection : open) {
            if (connection.pongOverdue(now, timeout)) {
                connection.close(CloseCodes.reason(CloseCodes.HEARTBEAT_TIMEOUT, "heartbeat timeout"));
            } else {
                connection.ping();
            }
        }
    }

    /** Closes every connection of the named caller with 4401, as if its credential had expired. */
    public int closeAllOf(String user) {
        int closed = 0;
        for (ClientConnection connection : open) {
            java.security.Principal principal = connection.viewer().principal();
            if (principal != null && principal.getName().equals(user)) {
                connection.close(CloseCodes.reason(CloseCodes.CREDENTIAL_EXPIRED, "credential revoked"));
                closed++;
            }
        }
        return closed;
    }

    /**
     * Graceful shutdown: waits up to {@code flushMillis} for queued frames to go out, then closes every connection
     * with 1001 (going away).
     */
    public void closeAll(long flushMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(flushMillis);
        while (System.nanoTime() < deadline && !open.stream().allMatch(ClientConnection::isDrained)) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        CloseReason goingAway = new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "server shutting down");
        open.forEach(connection -> connection.close(goingAway));
    }
}
