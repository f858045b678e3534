package dev.rowcast.impl.security;

import java.security.Principal;
import java.time.Instant;
import java.util.Set;

import dev.rowcast.spi.Viewer;

/**
 * Who is behind a connection, captured at the handshake: the caller, the roles Rowcast knows of, the expiry.
 *
 * @param asked the roles the handshake was asked about, or {@code null} when any role may be asked (tests). A role
 *        outside them was never checked, so asking about it throws: a deny-list check ("hide from role X") must not
 *        pass because X was never recorded.
 */
public record ConnectionIdentity(Principal principal, Set<String> roles, Instant expiresAt, Set<String> asked)
        implements Viewer {

    public static final ConnectionIdentity ANONYMOUS = new ConnectionIdentity(null, Set.of(), null, null);

    public ConnectionIdentity {
        roles = Set.copyOf(roles);
        asked = asked == null ? null : Set.copyOf(asked);
    }

    public ConnectionIdentity(Principal principal, Set<String> roles, Instant expiresAt) {
        this(principal, roles, expiresAt, null);
    }

    @Override
    public boolean isUserInRole(String role) {
        if (asked != null && !asked.contains(role)) {
            throw new IllegalStateException("Rowcast did not record role '" + role + "' at the handshake of "
                    + this + ", so it cannot say. Fix: name it in the rowcast.security.roles context-param.");
        }
        return roles.contains(role);
    }

    @Override
    public String toString() {
        return principal == null ? "anonymous" : principal.getName();
    }
}
