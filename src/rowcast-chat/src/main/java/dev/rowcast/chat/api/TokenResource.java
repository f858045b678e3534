package dev.rowcast.chat.api;

import java.util.HashSet;
import java.util.Set;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.security.enterprise.SecurityContext;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response.Status;

import dev.rowcast.chat.security.Roles;
import dev.rowcast.chat.security.TokenService;

/**
 * {@code POST /api/tokens} with HTTP BASIC returns a bearer token for the socket and the API. {@code ?ttl=} sets its
 * lifetime in seconds (1 to 86,400; default 3,600). A token cannot mint another: BASIC is required.
 */
@Path("tokens")
@RequestScoped
public class TokenResource {

    private static final long MAX_TTL = 86_400;

    @Inject
    SecurityContext security;

    @Inject
    TokenService tokens;

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject issue(@HeaderParam("Authorization") String authorization,
            @QueryParam("ttl") @DefaultValue("3600") long ttl) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw new BadRequest(Status.UNAUTHORIZED, "tokens are issued for HTTP BASIC credentials only");
        }
        if (ttl < 1 || ttl > MAX_TTL) {
            throw new BadRequest("ttl must be between 1 and " + MAX_TTL + " seconds");
        }
        Set<String> groups = new HashSet<>();
        for (String role : new String[] { Roles.USER, Roles.ADMIN }) {
            if (security.isCallerInRole(role)) {
                groups.add(role);
            }
        }
        String caller = security.getCallerPrincipal().getName();
        return Json.createObjectBuilder()
                .add("token", tokens.issue(caller, groups, ttl))
                .add("expiresIn", ttl)
                .add("user", caller)
                .build();
    }
}
