package dev.rowcast.chat.it;

import static dev.rowcast.chat.it.support.DeploymentLog.assertContains;
import static dev.rowcast.chat.it.support.DeploymentLog.assertFirstSevere;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import dev.rowcast.chat.it.misconfigured.KeylessNote;
import dev.rowcast.chat.it.misconfigured.UntriggeredNote;
import dev.rowcast.chat.it.support.Deployments;
import dev.rowcast.chat.it.support.PayaraProcess;
import dev.rowcast.chat.it.support.Postgres;

/**
 * Database capture misconfigured, as an operator deploys it (-Ppostgres only; each test boots its own Payara Micro):
 * the deployment fails, and the first SEVERE record names the problem and its fix.
 */
class CaptureDeploymentIT {

    private static Connection database() throws SQLException {
        return Postgres.outside();
    }

    @Test
    void should_fail_deployment_naming_the_missing_trigger_when_installation_is_off() throws Exception {
        try (Connection sql = database(); Statement statement = sql.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS untriggered_note");
        }
        WebArchive war = Deployments.chatWarWithEntities(Map.of("rowcast.capture.installTriggers", "false"),
                UntriggeredNote.class);
        try (PayaraProcess payara = PayaraProcess.deployOnPostgres(war)) {
            String log = payara.log();
            assertContains(log, "Channels [untriggered_note] are captured from the database, but ");
            assertContains(log, "trigger rowcast_capture_untriggered_note on untriggered_note is missing. Fix: run the "
                    + "SQL logged above");
            assertContains(log, "set rowcast.capture.installTriggers=true");
            // the SQL to run is in the log, for the migration tool
            assertContains(log, "CREATE CONSTRAINT TRIGGER rowcast_capture_untriggered_note AFTER INSERT OR UPDATE "
                    + "OR DELETE ON untriggered_note");
            assertFirstSevere(log, "Rowcast cannot start, so this application is not deployed");
            assertTrue(payara.get("/") >= 400, "the application must not be served");
        }
        assertEquals(0, triggers("rowcast_capture_untriggered_note"), "installation is off: nothing was installed");
    }

    @Test
    void should_fail_deployment_for_a_captured_table_without_a_primary_key() throws Exception {
        try (Connection sql = database(); Statement statement = sql.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS keyless_note");
            // as a hand-made table may be: Hibernate's update adds no key to a table that exists
            statement.execute("CREATE TABLE keyless_note (id bigint NOT NULL, topic bigint NOT NULL)");
        }
        WebArchive war = Deployments.chatWarWithEntities(Map.of("rowcast.capture.installTriggers", "true"),
                KeylessNote.class);
        try (PayaraProcess payara = PayaraProcess.deployOnPostgres(war)) {
            String log = payara.log();
            assertContains(log, "Channel 'keyless_note' is captured from the database, but its table keyless_note "
                    + "has no primary key, so nothing keeps two rows from sharing an id. Fix: ALTER TABLE "
                    + "keyless_note ADD PRIMARY KEY (id); or capture the channel through JPA.");
            assertFirstSevere(log, "Rowcast cannot start, so this application is not deployed");
            assertTrue(payara.get("/") >= 400, "the application must not be served");
        }
        assertEquals(0, triggers("rowcast_capture_keyless_note"), "no trigger on a table Rowcast refused");
        try (Connection sql = database(); Statement statement = sql.createStatement()) {
            statement.execute("DROP TABLE keyless_note");
        }
    }

    /** Payara Micro's embedded H2: the same setting the chat uses on PostgreSQL. */
    @Test
    void should_fail_deployment_for_database_capture_on_h2() throws Exception {
        WebArchive war = Deployments.chatWarWithEntities(Map.of("rowcast.capture.database", "message"));
        try (PayaraProcess payara = PayaraProcess.deploy(war)) {
            String log = payara.log();
            assertContains(log, "Channel 'message' is captured from the database, which needs PostgreSQL; "
                    + "persistence unit chat is not on PostgreSQL. Fix: remove it from rowcast.capture.database or "
                    + "@Reactive(capture = DATABASE), or point the unit at PostgreSQL.");
            assertFirstSevere(log, "Rowcast cannot start, so this application is not deployed");
            assertTrue(payara.get("/") >= 400, "the application must not be served");
        }
    }

    private static int triggers(String name) throws SQLException {
        try (Connection sql = database(); Statement statement = sql.createStatement();
                ResultSet result = statement.executeQuery("SELECT count(*) FROM pg_trigger WHERE tgname = '" + name
                        + "'")) {
            result.next();
            return result.getInt(1);
        }
    }
}
