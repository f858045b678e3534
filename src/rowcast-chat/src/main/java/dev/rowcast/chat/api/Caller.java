package dev.rowcast.chat.api;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.SecurityContext;

import dev.rowcast.chat.security.Roles;

/** The authenticated caller of the current request. web.xml admits no anonymous caller to /api. */
@RequestScoped
public class Caller {

    @Inject
    SecurityContext security;

    public String name() {
        return security.getCallerPrincipal().getName();
    }

    public boolean isAdmin() {
        return security.isCallerInRole(Roles.ADMIN);
    }
}
