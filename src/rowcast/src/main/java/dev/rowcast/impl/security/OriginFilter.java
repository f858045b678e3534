package dev.rowcast.impl.security;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Refuses cross-site WebSocket hijacking: a handshake whose {@code Origin} is not allowed gets HTTP 403 before any
 * upgrade. By default only the page's own origin (the request's scheme and {@code Host}) is allowed; a request
 * without {@code Origin} comes from a non-browser client and passes. {@code rowcast.security.allowedOrigins} replaces
 * the default with a list, or {@code *}. Origins are compared by scheme, host and port.
 */
public final class OriginFilter implements Filter {

    private final List<String> allowed;

    public OriginFilter(List<String> allowedOrigins) {
        this.allowed = allowedOrigins.stream()
                .map(origin -> origin.equals("*") ? origin : canonical(origin).orElse(origin.toLowerCase(Locale.ROOT)))
                .toList();
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        String origin = http.getHeader("Origin");
        if (origin == null || isAllowed(origin, http.getScheme(), http.getHeader("Host"))) {
            chain.doFilter(request, response);
        } else {
            ((HttpServletResponse) response).sendError(HttpServletResponse.SC_FORBIDDEN,
                    "Origin not allowed for this WebSocket endpoint");
        }
    }

    /**
     * Scheme, host and port must all match, default ports filled in: {@code https://host} is another origin than
     * {@code http://host}, and a page of one may not use the other's cookies.
     *
     * @param scheme the request's own scheme, {@code http} or {@code https}
     */
    boolean isAllowed(String origin, String scheme, String host) {
        Optional<String> normalized = canonical(origin);
        if (!allowed.isEmpty()) {
            return allowed.contains("*") || normalized.isPresent() && allowed.contains(normalized.get());
        }
        if (host == null || scheme == null || normalized.isEmpty()) {
            return false;
        }
        Optional<String> own = canonical(scheme + "://" + host.strip());
        return own.isPresent() && own.get().equals(normalized.get());
    }

    /** {@code scheme://host:port}, lower case, with the scheme's default port; empty for "null" or garbage. */
    static Optional<String> canonical(String origin) {
        try {
            URI uri = new URI(origin.strip().toLowerCase(Locale.ROOT));
            String scheme = uri.getScheme();
            if (uri.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))
                    || uri.getRawUserInfo() != null || !(uri.getRawPath() == null || uri.getRawPath().isEmpty()
                            || uri.getRawPath().equals("/"))
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                return Optional.empty();
            }
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
            return Optional.of(scheme + "://" + uri.getHost() + ":" + port);
        } catch (URISyntaxException e) {
            return Optional.empty(); // "null" or garbage: a sandboxed or forged origin
        }
    }
}
