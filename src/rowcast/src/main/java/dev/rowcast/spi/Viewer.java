package dev.rowcast.spi;

import java.security.Principal;

/**
 * The caller of one WebSocket connection, as the container authenticated its handshake. Fixed for the connection's
 * life.
 */
public interface Viewer {

    /** The authenticated caller, or {@code null} when the endpoint admits anonymous connections. */
    Principal principal();

    /**
     * Whether the caller had the role at the handshake. Only roles Rowcast knows of are recorded: those in
     * {@code @Reactive(rolesAllowed)}, {@code @VisibleTo} and the {@code rowcast.security.roles} context-param.
     * Asking about any other role throws {@link IllegalStateException}, which hides the row from a
     * {@link RowFilter} and denies a {@link SubscriptionAuthorizer}: a "hide from role X" rule fails closed when X was
     * never recorded, instead of passing. Anonymous callers are in no role.
     */
    boolean isUserInRole(String role);
}
