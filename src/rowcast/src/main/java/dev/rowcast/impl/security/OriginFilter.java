package dev.rowcast.impl.security;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Refuses cross-site WebSocket hijacking: a handshake whose {@code Origin} is not allowed gets HTTP 403 before any
 * upgrade. By default only the page's own origin (the request's {@code Host}) is allowed; a request without
 * {@code Origin} comes from a non-browser client and passes. {@code rowcast.security.allowedOrigins} replaces the
 * default with a list, or {@code *}.
 */
public final class OriginFilter implements Filter {

    private final List<String> allowed;

    public OriginFilter(List<String> allowedOrigins) {
        this.allowed = allowedOrigins.stream().map(origin -> origin.toLowerCase(Locale.ROOT)).toList();
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        String origin = http.getHeader("Origin");
        if (origin == null || isAllowed(origin, http.getHeader("Host"))) {
            chain.doFilter(request, response);
        } else {
            ((HttpServletResponse) response).sendError(HttpServletResponse.SC_FORBIDDEN,
                    "Origin not allowed for this WebSocket endpoint");
        }
    }

    boolean isAllowed(String origin, String host) {
        String normalized = origin.strip().toLowerCase(Locale.ROOT);
        if (!allowed.isEmpty()) {
            return allowed.contains("*") || allowed.contains(normalized);
        }
        if (host == null) {
            return false;
        }
        try {
            URI uri = URI.create(normalized);
            if (uri.getHost() == null) {
                return false;
            }
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
            String hostHeader = host.strip().toLowerCase(Locale.ROOT);
            String withPort = hostHeader.contains(":") && !hostHeader.endsWith("]") ? hostHeader
                    : hostHeader + ":" + ("https".equals(uri.getScheme()) ? 443 : 80);
            return withPort.equals(uri.getHost() + ":" + port);
        } catch (IllegalArgumentException e) {
            return false; // "null" or garbage: a sandboxed or forged origin
        }
    }
}
