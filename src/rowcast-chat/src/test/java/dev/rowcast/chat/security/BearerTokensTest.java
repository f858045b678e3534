package dev.rowcast.chat.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class BearerTokensTest {

    @Test
    void should_find_the_cookie_token_in_any_cookie_value_as_tyrus_splits_them() {
        // "Cookie: pref=a,b; rowcast_token=T" as Tyrus hands it over: split at the comma
        assertEquals(Optional.of("T"), BearerTokens.fromHandshake(
                Map.of("cookie", List.of("pref=a", "b; rowcast_token=T")), Map.of()));
        // two Cookie headers
        assertEquals(Optional.of("T"), BearerTokens.fromHandshake(
                Map.of("Cookie", List.of("theme=dark", "rowcast_token=T; x=1")), Map.of()));
        assertEquals(Optional.of("first"), BearerTokens.fromHandshake(
                Map.of("Cookie", List.of("rowcast_token=first", "rowcast_token=second")), Map.of()));
    }

    @Test
    void should_prefer_the_header_then_the_query_then_cookies_and_take_none_with_basic() {
        Map<String, List<String>> cookie = Map.of("Cookie", List.of("rowcast_token=C"));
        Map<String, List<String>> query = Map.of("access_token", List.of("Q"));
        assertEquals(Optional.of("H"), BearerTokens.fromHandshake(
                Map.of("Authorization", List.of("Bearer H"), "Cookie", List.of("rowcast_token=C")), query));
        assertEquals(Optional.of("Q"), BearerTokens.fromHandshake(cookie, query));
        assertEquals(Optional.of("C"), BearerTokens.fromHandshake(cookie, Map.of()));
        assertEquals(Optional.empty(), BearerTokens.fromHandshake(
                Map.of("Authorization", List.of("Basic YWxpY2U6YWxpY2U="), "Cookie", List.of("rowcast_token=C")),
                query), "a BASIC handshake was not authenticated by a token");
    }
}
