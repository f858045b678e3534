package dev.rowcast.chat.security;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.server.HandshakeRequest;

import dev.rowcast.spi.CredentialExpiry;

/** Tells Rowcast when a socket's bearer token expires, so the socket is closed (4401) at that moment. */
@ApplicationScoped
public class TokenExpiry implements CredentialExpiry {

    @Inject
    TokenService tokens;

    @Override
    public Optional<Instant> expiresAt(HandshakeRequest handshake) {
        return BearerTokens.fromHandshake(handshake.getHeaders(), handshake.getParameterMap())
                .flatMap(tokens::verify)
                .map(TokenService.Verified::expiresAt);
    }
}
