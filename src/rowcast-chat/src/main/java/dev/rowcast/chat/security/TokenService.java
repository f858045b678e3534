package dev.rowcast.chat.security;

import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Issues and verifies the chat's bearer tokens: HS256 JWTs with subject, groups and expiry. The key comes from
 * {@code ROWCAST_TOKEN_SECRET} (at least 32 bytes); without it a random key is made at start, so tokens do not
 * survive a restart.
 */
@ApplicationScoped
public class TokenService {

    static final String ISSUER = "rowcast-chat";
    private static final String GROUPS = "groups";

    private byte[] key;

    /** A verified token's caller, groups and expiry. */
    public record Verified(String caller, Set<String> groups, Instant expiresAt) {
    }

    @PostConstruct
    void init() {
        String secret = System.getenv("ROWCAST_TOKEN_SECRET");
        if (secret != null && secret.length() < 32) {
            // a short HS256 key is guessable: refuse to start rather than sign with it, or silently ignore it
            throw new IllegalStateException("ROWCAST_TOKEN_SECRET has " + secret.length() + " characters; HS256 "
                    + "needs at least 32. Fix: set a longer secret, or unset it for a random key per start.");
        }
        if (secret != null) {
            key = secret.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } else {
            key = new byte[32];
            new SecureRandom().nextBytes(key);
        }
    }

    public String issue(String caller, Set<String> groups, long ttlSeconds) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(caller)
                .claim(GROUPS, List.copyOf(groups))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(ttlSeconds)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
        return jwt.serialize();
    }

    /** The token's claims if its signature, issuer and expiry check out; empty otherwise. */
    public Optional<Verified> verify(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(new MACVerifier(key))) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date expiry = claims.getExpirationTime();
            if (!ISSUER.equals(claims.getIssuer()) || claims.getSubject() == null || expiry == null
                    || !expiry.toInstant().isAfter(Instant.now())) {
                return Optional.empty();
            }
            List<String> groups = claims.getStringListClaim(GROUPS);
            return Optional.of(new Verified(claims.getSubject(), groups == null ? Set.of() : Set.copyOf(groups),
                    expiry.toInstant()));
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
