package dev.rowcast.chat.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Container-managed authentication for the chat, REST and WebSocket upgrade alike: HTTP BASIC against the identity
 * store, or a signed bearer token from the header, the {@code access_token} query parameter or the
 * {@code rowcast_token} cookie. Bad credentials get 401 at once; none get 401 only on protected paths, which
 * web.xml names.
 */
@ApplicationScoped
public class ChatAuthenticationMechanism implements HttpAuthenticationMechanism {

    @Inject
    IdentityStoreHandler identityStores;

    @Inject
    TokenService tokens;

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
            HttpMessageContext context) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return basic(authorization.substring(6).strip(), context);
        }
        Optional<String> token = BearerTokens.fromAuthorization(authorization)
                .or(() -> Optional.ofNullable(request.getParameter(BearerTokens.QUERY_PARAMETER)))
                .or(() -> cookie(request));
        if (token.isPresent()) {
            return tokens.verify(token.get())
                    .map(verified -> context.notifyContainerAboutLogin(verified.caller(), verified.groups()))
                    .orElseGet(() -> unauthorized(context));
        }
        return context.isProtected() ? unauthorized(context) : context.doNothing();
    }

    private AuthenticationStatus basic(String encoded, HttpMessageContext context) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return unauthorized(context);
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return unauthorized(context);
        }
        CredentialValidationResult result = identityStores.validate(
                new UsernamePasswordCredential(decoded.substring(0, colon), decoded.substring(colon + 1)));
        return result.getStatus() == CredentialValidationResult.Status.VALID
                ? context.notifyContainerAboutLogin(result)
                : unauthorized(context);
    }

    private static AuthenticationStatus unauthorized(HttpMessageContext context) {
        // no Basic challenge: a browser would pop up its own login dialog over the chat page
        context.getResponse().setHeader("WWW-Authenticate", "Bearer realm=\"rowcast-chat\"");
        return context.responseUnauthorized();
    }

    private static Optional<String> cookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (BearerTokens.COOKIE.equals(cookie.getName())) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }
}
