package dev.rowcast.chat.security;

/** The chat's roles; groups map to roles of the same name (WEB-INF/glassfish-web.xml). */
public final class Roles {

    public static final String USER = "user";
    public static final String ADMIN = "admin";

    private Roles() {
    }
}
