package dev.rowcast.chat.security;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.server.HandshakeRequest;

import dev.rowcast.spi.CredentialExpiry;

/**
 * Tells Rowcast when a socket's bearer token expires, so the socket is closed (4401) at that moment. A token that no
 * longer verifies (it expired between authentication and this call) is expired now: fail closed. Without a token
 * (BASIC) there is no answer, and Rowcast's maximum connection age applies.
 */
@ApplicationScoped
public class TokenExpiry implements CredentialExpiry {

    @Inject
    TokenService tokens;

    @Override
    public Optional<Instant> expiresAt(HandshakeRequest handshake) {
        return BearerTokens.fromHandshake(handshake.getHeaders(), handshake.getParameterMap())
                .map(token -> tokens.verify(token).map(TokenService.Verified::expiresAt).orElse(Instant.EPOCH));
    }
}
