package dev.rowcast.impl.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class OriginFilterTest {

    private final OriginFilter sameOrigin = new OriginFilter(List.of());

    @Test
    void should_allow_only_the_requests_own_origin_by_default() {
        assertTrue(sameOrigin.isAllowed("http://localhost:8080", "http", "localhost:8080"));
        assertTrue(sameOrigin.isAllowed("HTTP://LOCALHOST:8080", "http", "localhost:8080"));
        assertTrue(sameOrigin.isAllowed("https://chat.example.com", "https", "chat.example.com"));
        assertTrue(sameOrigin.isAllowed("http://chat.example.com", "http", "chat.example.com:80"));
        assertTrue(sameOrigin.isAllowed("https://chat.example.com:443", "https", "chat.example.com"));
        assertTrue(sameOrigin.isAllowed("http://[::1]:8080", "http", "[::1]:8080"));
        assertFalse(sameOrigin.isAllowed("http://evil.example", "http", "localhost:8080"));
        assertFalse(sameOrigin.isAllowed("http://localhost:8081", "http", "localhost:8080"));
        assertFalse(sameOrigin.isAllowed("http://localhost.evil.example:8080", "http", "localhost:8080"));
        assertFalse(sameOrigin.isAllowed("null", "http", "localhost:8080"));
        assertFalse(sameOrigin.isAllowed("http://localhost:8080", "http", null));
        assertFalse(sameOrigin.isAllowed("not a uri at all", "http", "localhost:8080"));
        assertFalse(sameOrigin.isAllowed("http://user@localhost:8080", "http", "localhost:8080"));
    }

    @Test
    void should_compare_the_scheme_too() {
        assertFalse(sameOrigin.isAllowed("https://localhost:8080", "http", "localhost:8080"));
        assertFalse(sameOrigin.isAllowed("http://localhost:8443", "https", "localhost:8443"));
        assertFalse(sameOrigin.isAllowed("https://chat.example.com", "http", "chat.example.com"));
        assertFalse(sameOrigin.isAllowed("http://chat.example.com", "https", "chat.example.com"));
        assertFalse(sameOrigin.isAllowed("ftp://localhost:8080", "http", "localhost:8080"));
    }

    @Test
    void should_use_the_configured_list_instead() {
        OriginFilter listed = new OriginFilter(List.of("https://app.example.com", "http://admin.example.com:8080/"));
        assertTrue(listed.isAllowed("https://APP.example.com", "https", "api.example.com"));
        assertTrue(listed.isAllowed("https://app.example.com:443", "https", "api.example.com"));
        assertTrue(listed.isAllowed("http://admin.example.com:8080", "http", "api.example.com"));
        assertFalse(listed.isAllowed("http://app.example.com", "http", "app.example.com"), "other scheme");
        assertFalse(listed.isAllowed("https://admin.example.com:8080", "https", "api.example.com"), "other scheme");
        assertFalse(listed.isAllowed("https://api.example.com", "https", "api.example.com"));
        assertTrue(new OriginFilter(List.of("*")).isAllowed("http://anything", "https", "x"));
    }
}
