package dev.rowcast.spi;

import java.time.Instant;
import java.util.Optional;

import jakarta.websocket.server.HandshakeRequest;

/**
 * Tells when the credential that authenticated a WebSocket handshake expires, say a bearer token's {@code exp}.
 * Rowcast closes the connection with 4401 at that instant. Every CDI bean of this type is asked; the earliest
 * answer wins. Without one, connections do not expire.
 */
public interface CredentialExpiry {

    Optional<Instant> expiresAt(HandshakeRequest handshake);
}
