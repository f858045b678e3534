package dev.rowcast.chat.it.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** The suites' PostgreSQL (the postgres profile's {@code ROWCAST_DB_*}), reached from outside the application. */
public final class Postgres {

    private Postgres() {
    }

    /** A connection from outside the application, as psql or another process would write. */
    public static Connection outside() throws SQLException {
        String url = "jdbc:postgresql://" + env("ROWCAST_DB_HOST", "127.0.0.1") + ":" + env("ROWCAST_DB_PORT", "5432")
                + "/" + env("ROWCAST_DB_NAME", "test");
        return DriverManager.getConnection(url, env("ROWCAST_DB_USER", "postgres"),
                env("ROWCAST_DB_PASSWORD", "postgres"));
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
