package dev.rowcast.chat.security;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a bearer token may come from: the {@code Authorization: Bearer} header, or, because browsers cannot set
 * headers on a WebSocket, the {@code access_token} query parameter or the {@code rowcast_token} cookie.
 */
final class BearerTokens {

    static final String QUERY_PARAMETER = "access_token";
    static final String COOKIE = "rowcast_token";

    private BearerTokens() {
    }

    static Optional<String> fromAuthorization(String header) {
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? Optional.of(header.substring(7).strip()) : Optional.empty();
    }

    /** From a raw {@code Cookie} header value. */
    static Optional<String> fromCookieHeader(String header) {
        if (header == null) {
            return Optional.empty();
        }
        for (String part : header.split(";")) {
            String[] pair = part.strip().split("=", 2);
            if (pair.length == 2 && pair[0].equals(COOKIE)) {
                return Optional.of(pair[1]);
            }
        }
        return Optional.empty();
    }

    /**
     * From WebSocket handshake headers and parameters, read as {@link ChatAuthenticationMechanism} reads the request,
     * so the token found is the one that authenticated the handshake: none with {@code Basic}, then the header, the
     * query parameter, and the first {@code rowcast_token} in any {@code Cookie} value. Tyrus splits header values
     * at commas, and a request may carry several {@code Cookie} headers, so every value is searched.
     */
    static Optional<String> fromHandshake(Map<String, List<String>> headers, Map<String, List<String>> parameters) {
        Optional<String> authorization = values(headers, "Authorization").findFirst();
        if (authorization.isPresent() && authorization.get().regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        Optional<String> header = authorization.flatMap(BearerTokens::fromAuthorization);
        if (header.isPresent()) {
            return header;
        }
        Optional<String> query = Optional.ofNullable(parameters.get(QUERY_PARAMETER))
                .filter(values -> !values.isEmpty()).map(values -> values.get(0));
        return query.isPresent() ? query
                : values(headers, "Cookie").map(BearerTokens::fromCookieHeader).flatMap(Optional::stream).findFirst();
    }

    private static Stream<String> values(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream());
    }
}
