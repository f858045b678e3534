package dev.rowcast.impl.security;

import java.security.Principal;
import java.time.Instant;
import java.util.Set;

import dev.rowcast.spi.Viewer;

/** Who is behind a connection, captured at the handshake: the caller, the roles Rowcast knows of, the expiry. */
public record ConnectionIdentity(Principal principal, Set<String> roles, Instant expiresAt) implements Viewer {

    public static final ConnectionIdentity ANONYMOUS = new ConnectionIdentity(null, Set.of(), null);

    public ConnectionIdentity {
        roles = Set.copyOf(roles);
    }

    @Override
    public boolean isUserInRole(String role) {
        return roles.contains(role);
    }

    @Override
    public String toString() {
        return principal == null ? "anonymous" : principal.getName();
    }
}
