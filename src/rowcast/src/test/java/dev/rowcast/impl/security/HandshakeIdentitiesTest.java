package dev.rowcast.impl.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;

import org.junit.jupiter.api.Test;

import dev.rowcast.spi.CredentialExpiry;

class HandshakeIdentitiesTest {

    private static final Principal ALICE = () -> "alice";
    private static final Instant FIRST = Instant.parse("2030-01-01T00:00:00Z");
    private static final Instant SECOND = Instant.parse("2031-01-01T00:00:00Z");
    private static final CredentialExpiry FROM_HEADER = request -> Optional.of(
            Instant.parse(request.getHeaders().get("x-expiry").get(0)));

    /** Stands in for the container's handshake request: a principal, its roles and one header. */
    private static HandshakeRequest handshake(Principal principal, Set<String> roles, Instant expiry) {
        return (HandshakeRequest) Proxy.newProxyInstance(HandshakeRequest.class.getClassLoader(),
                new Class<?>[] { HandshakeRequest.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "getUserPrincipal" -> principal;
                    case "isUserInRole" -> roles.contains((String) args[0]);
                    case "getHeaders" -> Map.of("x-expiry", List.of(expiry.toString()));
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static Session session(Principal principal) {
        return (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] { Session.class },
                (proxy, method, args) -> {
                    if (method.getName().equals("getUserPrincipal")) {
                        return principal;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void should_give_each_of_two_handshakes_sharing_a_principal_its_own_identity_in_order() {
        HandshakeIdentities identities = new HandshakeIdentities(() -> Set.of("user", "admin"), List.of(FROM_HEADER), Duration.ZERO);
        identities.capture(handshake(ALICE, Set.of("user"), FIRST));
        identities.capture(handshake(ALICE, Set.of("user", "admin"), SECOND));

        ConnectionIdentity first = identities.claim(session(ALICE));
        ConnectionIdentity second = identities.claim(session(ALICE));
        assertEquals(FIRST, first.expiresAt());
        assertEquals(Set.of("user"), first.roles());
        assertEquals(SECOND, second.expiresAt(), "the second handshake's expiry is not lost to the first");
        assertEquals(Set.of("user", "admin"), second.roles());
    }

    @Test
    void should_close_at_once_a_connection_without_a_recorded_handshake_when_credentials_expire() {
        HandshakeIdentities identities = new HandshakeIdentities(() -> Set.of("user"), List.of(FROM_HEADER), Duration.ZERO);
        ConnectionIdentity unknown = identities.claim(session(ALICE));
        assertEquals(Set.of(), unknown.roles());
        assertEquals(Instant.EPOCH, unknown.expiresAt(), "fail closed: never open without its expiry");
    }

    @Test
    void should_give_no_roles_and_no_expiry_without_a_recorded_handshake_when_nothing_expires() {
        ConnectionIdentity unknown = new HandshakeIdentities(() -> Set.of("user"), List.of(), Duration.ZERO).claim(session(ALICE));
        assertEquals(Set.of(), unknown.roles());
        assertNull(unknown.expiresAt());
    }

    @Test
    void should_treat_an_expiry_that_cannot_be_read_as_expired() {
        CredentialExpiry broken = request -> {
            throw new IllegalStateException("unreadable token");
        };
        HandshakeIdentities identities = new HandshakeIdentities(() -> Set.of(), List.of(broken), Duration.ZERO);
        identities.capture(handshake(ALICE, Set.of(), FIRST));
        assertEquals(Instant.EPOCH, identities.claim(session(ALICE)).expiresAt());
    }

    @Test
    void should_end_a_connection_without_a_credential_expiry_after_the_maximum_age() {
        CredentialExpiry basic = request -> Optional.empty(); // BASIC, or a token it cannot read an expiry from
        HandshakeIdentities identities = new HandshakeIdentities(() -> Set.of(), List.of(basic),
                Duration.ofHours(1));
        Instant before = Instant.now();
        identities.capture(handshake(ALICE, Set.of(), FIRST));
        Instant expiry = identities.claim(session(ALICE)).expiresAt();
        assertTrue(expiry != null && !expiry.isBefore(before.plusSeconds(3600))
                && expiry.isBefore(before.plusSeconds(3660)), "an hour from the handshake: " + expiry);
        assertEquals(Instant.EPOCH, new HandshakeIdentities(() -> Set.of(), List.of(), Duration.ofHours(1))
                .claim(session(ALICE)).expiresAt(), "unknown handshake with a maximum age: fail closed");
    }
}
