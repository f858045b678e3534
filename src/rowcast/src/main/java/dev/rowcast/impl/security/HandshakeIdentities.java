package dev.rowcast.impl.security;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;

import dev.rowcast.spi.CredentialExpiry;

/**
 * Carries each handshake's identity to its session. The servlet request, where roles can be asked, is gone once the
 * socket is open, and the endpoint configuration's user properties are shared by all handshakes. The caller
 * {@code Principal} object is handed from the handshake to the session unchanged, so it is the key. One principal
 * object may serve several handshakes at once (a login session), so each key holds its handshakes in order.
 */
public final class HandshakeIdentities {

    private static final Logger LOG = Logger.getLogger(HandshakeIdentities.class.getName());
    private static final long STALE_NANOS = 60_000_000_000L;

    private record Pending(ConnectionIdentity identity, long capturedAt) {
    }

    private final Map<Principal, Deque<Pending>> pending = new IdentityHashMap<>();
    private final Supplier<Set<String>> knownRoles;
    private final List<CredentialExpiry> expiries;
    private final Duration maxAge;

    /**
     * @param maxAge how long an authenticated connection may live when no {@link CredentialExpiry} names an expiry
     *        (BASIC, a form login); {@link Duration#ZERO} for no limit
     */
    public HandshakeIdentities(Supplier<Set<String>> knownRoles, List<CredentialExpiry> expiries, Duration maxAge) {
        this.knownRoles = knownRoles;
        this.expiries = List.copyOf(expiries);
        this.maxAge = maxAge;
    }

    /** Called in {@code modifyHandshake}, while the request can still answer role questions. */
    public void capture(HandshakeRequest request) {
        Principal principal = request.getUserPrincipal();
        if (principal == null) {
            return;
        }
        Set<String> roles = new HashSet<>();
        Set<String> asked = knownRoles.get();
        for (String role : asked) {
            if (request.isUserInRole(role)) {
                roles.add(role);
            }
        }
        Instant expiry = expiry(request);
        if (expiry == null && !maxAge.isZero()) {
            expiry = Instant.now().plus(maxAge); // no credential expiry known: the connection still ends
        }
        ConnectionIdentity identity = new ConnectionIdentity(principal, roles, expiry, asked);
        long now = System.nanoTime();
        synchronized (pending) {
            for (Iterator<Deque<Pending>> it = pending.values().iterator(); it.hasNext();) {
                Deque<Pending> handshakes = it.next();
                handshakes.removeIf(p -> now - p.capturedAt() > STALE_NANOS); // handshakes that never opened
                if (handshakes.isEmpty()) {
                    it.remove();
                }
            }
            pending.computeIfAbsent(principal, p -> new ArrayDeque<>(1)).add(new Pending(identity, now));
        }
    }

    /**
     * Called in {@code onOpen}. An unknown principal gets no roles, and, when credentials can expire, an expiry in
     * the past, so it is closed with 4401 at once: fail closed.
     */
    public ConnectionIdentity claim(Session session) {
        Principal principal = session.getUserPrincipal();
        if (principal == null) {
            return ConnectionIdentity.ANONYMOUS;
        }
        Pending captured;
        synchronized (pending) {
            Deque<Pending> handshakes = pending.get(principal);
            captured = handshakes == null ? null : handshakes.poll();
            if (handshakes != null && handshakes.isEmpty()) {
                pending.remove(principal);
            }
        }
        if (captured == null) {
            LOG.warning(() -> "ROWCAST-041: no handshake identity recorded for " + principal.getName()
                    + "; the connection gets no roles" + (expiries.isEmpty() && maxAge.isZero() ? "" : " and is closed"));
            return new ConnectionIdentity(principal, Set.of(),
                    expiries.isEmpty() && maxAge.isZero() ? null : Instant.EPOCH, knownRoles.get());
        }
        return captured.identity();
    }

    private Instant expiry(HandshakeRequest request) {
        Instant earliest = null;
        for (CredentialExpiry expiry : expiries) {
            try {
                Optional<Instant> at = expiry.expiresAt(request);
                if (at.isPresent() && (earliest == null || at.get().isBefore(earliest))) {
                    earliest = at.get();
                }
            } catch (RuntimeException | LinkageError e) {
                // a credential whose expiry cannot be read is treated as expired: fail closed
                LOG.log(Level.WARNING, "ROWCAST-042: CredentialExpiry " + expiry.getClass().getName() + " failed", e);
                return Instant.EPOCH;
            }
        }
        return earliest;
    }
}
