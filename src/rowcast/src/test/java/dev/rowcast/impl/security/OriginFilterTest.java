package dev.rowcast.impl.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class OriginFilterTest {

    private final OriginFilter sameOrigin = new OriginFilter(List.of());

    @Test
    void should_allow_only_the_requests_own_origin_by_default() {
        assertTrue(sameOrigin.isAllowed("http://localhost:8080", "localhost:8080"));
        assertTrue(sameOrigin.isAllowed("HTTP://LOCALHOST:8080", "localhost:8080"));
        assertTrue(sameOrigin.isAllowed("https://chat.example.com", "chat.example.com"));
        assertTrue(sameOrigin.isAllowed("http://chat.example.com", "chat.example.com:80"));
        assertFalse(sameOrigin.isAllowed("http://evil.example", "localhost:8080"));
        assertFalse(sameOrigin.isAllowed("http://localhost:8081", "localhost:8080"));
        assertFalse(sameOrigin.isAllowed("http://localhost.evil.example:8080", "localhost:8080"));
        assertFalse(sameOrigin.isAllowed("null", "localhost:8080"));
        assertFalse(sameOrigin.isAllowed("http://localhost:8080", null));
        assertFalse(sameOrigin.isAllowed("not a uri at all", "localhost:8080"));
    }

    @Test
    void should_use_the_configured_list_instead() {
        OriginFilter listed = new OriginFilter(List.of("https://app.example.com"));
        assertTrue(listed.isAllowed("https://APP.example.com", "api.example.com"));
        assertFalse(listed.isAllowed("https://api.example.com", "api.example.com"));
        assertTrue(new OriginFilter(List.of("*")).isAllowed("http://anything", "x"));
    }
}
