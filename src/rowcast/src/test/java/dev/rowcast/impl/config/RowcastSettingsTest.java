package dev.rowcast.impl.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.rowcast.RowcastConfigurationException;

class RowcastSettingsTest {

    @Test
    void should_use_the_documented_defaults() {
        RowcastSettings settings = RowcastSettings.read(name -> null);
        assertEquals("/ws", settings.endpointPath());
        assertEquals(65_536, settings.maxFrameBytes());
        assertEquals(256, settings.maxSubscriptionsPerConnection());
        assertEquals(100_000, settings.dispatchQueueCapacity());
        assertEquals(256, settings.replayFramesPerStream());
        assertEquals(10_000, settings.replayMaxStreams());
        assertEquals(10_000, settings.ticketTimeoutMillis());
        assertEquals(List.of(), settings.securityRoles());
        assertEquals(List.of(), settings.allowedOrigins());
        assertEquals(1_048_576, settings.maxQueuedBytes());
        assertEquals(30_000, settings.heartbeatIntervalMillis());
        assertEquals(10_000, settings.heartbeatTimeoutMillis());
        assertEquals(100, settings.inboundRatePerSecond());
        assertEquals(300, settings.inboundBurst());
        assertEquals(50, settings.rateLimitStrikes());
        assertEquals(2_000, settings.shutdownFlushMillis());
        assertEquals(86_400, settings.maxConnectionAgeSeconds());
        assertEquals(5_000, settings.authorizerTimeoutMillis());
        assertEquals(null, settings.admin().path(), "the admin page is off by default");
        assertEquals("admin", settings.admin().role());
        assertEquals(List.of(), settings.captureDatabase());
        assertEquals(false, settings.captureInstallTriggers());
        assertEquals(null, settings.captureSqlFile());
        assertEquals(300, settings.captureRetentionSeconds());
        assertEquals(new RowcastSettings.Talk(2_048, 50, List.of(), 1_000, 5_000, 4, 1_000, 15_000), settings.talk());
    }

    @Test
    void should_read_the_admin_page_settings_and_refuse_a_bad_path() {
        RowcastSettings.Admin admin = RowcastSettings.read(Map.of(RowcastSettings.ADMIN_PATH, "/ops/",
                RowcastSettings.ADMIN_ROLE, " operator ")::get).admin();
        assertTrue(admin.enabled());
        assertEquals("/ops", admin.path());
        assertEquals("operator", admin.role());
        for (String bad : List.of("ops", "/", "/ws", "/a/*", "/a b")) {
            RowcastConfigurationException problem = assertThrows(RowcastConfigurationException.class,
                    () -> RowcastSettings.read(Map.of(RowcastSettings.ADMIN_PATH, bad)::get), bad);
            assertTrue(problem.getMessage().contains(RowcastSettings.ADMIN_PATH), problem.getMessage());
        }
    }

    @Test
    void should_use_the_documented_defaults_for_the_engine_bounds() {
        RowcastSettings.EngineLimits engine = RowcastSettings.read(name -> null).engine();
        assertEquals(64 * 1024 * 1024, engine.dispatchMaxQueuedBytes());
        assertEquals(30_000, engine.stuckMillis());
        assertEquals(200, engine.dispatchBatchWaitMicros());
        assertEquals(0, engine.dispatchLingerWindowMicros(), "one batch wait");
        assertEquals(10_000, engine.maxLostStreams());
        assertEquals(64 * 1024 * 1024, engine.replayMaxBytes());
        assertEquals(1024 * 1024, engine.replayMaxBytesPerStream());
        assertEquals(16 * 1024 * 1024, engine.captureMaxTransactionBytes());
        assertEquals(2_000, engine.catchUpEventsPerSecond());
        assertEquals(10_000, engine.catchUpEventsBurst());
        assertEquals(20, engine.catchUpSnapshotsPerSecond());
        assertEquals(300, engine.catchUpSnapshotsBurst());
    }

    @Test
    void should_read_the_engine_bounds_and_refuse_bad_ones() {
        Map<String, String> params = Map.of(RowcastSettings.DISPATCH_STUCK_MILLIS, "1000",
                RowcastSettings.CATCH_UP_SNAPSHOTS_BURST, "3", RowcastSettings.DISPATCH_BATCH_WAIT_MICROS, "0",
                RowcastSettings.DISPATCH_LINGER_WINDOW_MICROS, "2000");
        RowcastSettings.EngineLimits engine = RowcastSettings.read(params::get).engine();
        assertEquals(1_000, engine.stuckMillis());
        assertEquals(0, engine.dispatchBatchWaitMicros(), "0 wakes the dispatch thread for every task");
        assertEquals(2_000, engine.dispatchLingerWindowMicros());
        assertThrows(RowcastConfigurationException.class,
                () -> RowcastSettings.read(Map.of(RowcastSettings.DISPATCH_LINGER_WINDOW_MICROS, "-1")::get));
        assertThrows(RowcastConfigurationException.class,
                () -> RowcastSettings.read(Map.of(RowcastSettings.DISPATCH_BATCH_WAIT_MICROS, "100001")::get));
        assertEquals(3, engine.catchUpSnapshotsBurst());
        RowcastConfigurationException e = assertThrows(RowcastConfigurationException.class,
                () -> RowcastSettings.read(Map.of(RowcastSettings.REPLAY_MAX_BYTES, "1024")::get));
        assertTrue(e.getMessage().contains("rowcast.replay.maxBytes is '1024'"), e.getMessage());
    }

    @Test
    void should_read_the_database_capture_settings() {
        Map<String, String> params = Map.of(RowcastSettings.CAPTURE_DATABASE, "message, note",
                RowcastSettings.CAPTURE_INSTALL_TRIGGERS, "TRUE", RowcastSettings.CAPTURE_SQL_FILE, " capture.sql ",
                RowcastSettings.CAPTURE_RETENTION, "0");
        RowcastSettings settings = RowcastSettings.read(params::get);
        assertTrue(settings.capturesFromDatabase("note"));
        assertEquals(false, settings.capturesFromDatabase("other"));
        assertTrue(settings.captureInstallTriggers());
        assertEquals("capture.sql", settings.captureSqlFile());
        assertEquals(0, settings.captureRetentionSeconds());
        assertEquals(0, settings.capturePollMillis(), "NOTIFY by default");
        assertEquals(100, RowcastSettings.read(Map.of(RowcastSettings.CAPTURE_POLL, "100")::get).capturePollMillis());
        RowcastConfigurationException poll = assertThrows(RowcastConfigurationException.class,
                () -> RowcastSettings.read(Map.of(RowcastSettings.CAPTURE_POLL, "-1")::get));
        assertTrue(poll.getMessage().contains("rowcast.capture.pollMillis is '-1'. Fix: use an integer from 0 to 60000"),
                poll.getMessage());
        assertTrue(RowcastSettings.read(Map.of(RowcastSettings.CAPTURE_DATABASE, "*")::get)
                .capturesFromDatabase("anything"));
        RowcastConfigurationException e = assertThrows(RowcastConfigurationException.class,
                () -> RowcastSettings.read(Map.of(RowcastSettings.CAPTURE_INSTALL_TRIGGERS, "yes")::get));
        assertTrue(e.getMessage().contains("rowcast.capture.installTriggers is 'yes'. Fix: use true or false"),
                e.getMessage());
    }

    @Test
    void should_release_upgrade_requests_unless_told_not_to() {
        assertTrue(RowcastSettings.read(name -> null).releaseUpgradeRequest());
        assertFalse(RowcastSettings.read(Map.of(RowcastSettings.RELEASE_UPGRADE_REQUEST, " FALSE ")::get)
                .releaseUpgradeRequest());
        RowcastConfigurationException e = assertThrows(RowcastConfigurationException.class,
                () -> RowcastSettings.read(Map.of(RowcastSettings.RELEASE_UPGRADE_REQUEST, "maybe")::get));
        assertTrue(e.getMessage().contains(RowcastSettings.RELEASE_UPGRADE_REQUEST), e.getMessage());
    }

    @Test
    void should_keep_both_container_workarounds_on_unless_told_not_to() {
        RowcastSettings.Container defaults = RowcastSettings.read(name -> null).container();
        assertTrue(defaults.releaseClosedSockets());
        assertTrue(defaults.dropInputAfterClose());
        RowcastSettings.Container off = RowcastSettings.read(Map.of(
                RowcastSettings.CONTAINER_DROP_INPUT_AFTER_CLOSE, " false ")::get).container();
        assertTrue(off.releaseClosedSockets());
        assertFalse(off.dropInputAfterClose());
        RowcastConfigurationException e = assertThrows(RowcastConfigurationException.class,
                () -> RowcastSettings.read(Map.of(RowcastSettings.CONTAINER_DROP_INPUT_AFTER_CLOSE, "maybe")::get));
        assertTrue(e.getMessage().contains("rowcast.container.dropInputAfterClose is 'maybe'. Fix: use true or false"),
                e.getMessage());
    }

    @Test
    void should_shrink_the_write_buffer_bypass_the_idle_timer_and_preframe_unless_told_not_to() {
        RowcastSettings.Outbound defaults = RowcastSettings.read(name -> null).outbound();
        assertTrue(defaults.smallWriteBuffer());
        assertTrue(defaults.idleTimerBypass());
        assertTrue(defaults.preframed());
        RowcastSettings.Outbound off = RowcastSettings.read(Map.of(RowcastSettings.OUTBOUND_SMALL_WRITE_BUFFER,
                "false", RowcastSettings.OUTBOUND_IDLE_TIMER_BYPASS, " False ", RowcastSettings.OUTBOUND_PREFRAMED,
                "false")::get).outbound();
        assertFalse(off.smallWriteBuffer());
        assertFalse(off.idleTimerBypass());
        assertFalse(off.preframed());
        RowcastConfigurationException e = assertThrows(RowcastConfigurationException.class,
                () -> RowcastSettings.read(Map.of(RowcastSettings.OUTBOUND_SMALL_WRITE_BUFFER, "maybe")::get));
        assertTrue(e.getMessage().contains(RowcastSettings.OUTBOUND_SMALL_WRITE_BUFFER + " is 'maybe'"),
                e.getMessage());
    }

    @Test
    void should_read_context_params() {
        Map<String, String> params = Map.of(RowcastSettings.ENDPOINT_PATH, " /live ",
                RowcastSettings.MAX_FRAME_BYTES, "1024", RowcastSettings.MAX_SUBSCRIPTIONS, "3");
        RowcastSettings settings = RowcastSettings.read(params::get);
        assertEquals("/live", settings.endpointPath());
        assertEquals(1024, settings.maxFrameBytes());
        assertEquals(3, settings.maxSubscriptionsPerConnection());
    }

    @Test
    void should_fail_naming_every_bad_parameter_and_its_fix() {
        Map<String, String> params = Map.of(RowcastSettings.ENDPOINT_PATH, "ws",
                RowcastSettings.MAX_FRAME_BYTES, "lots", RowcastSettings.MAX_SUBSCRIPTIONS, "0");
        RowcastConfigurationException e = assertThrows(RowcastConfigurationException.class,
                () -> RowcastSettings.read(params::get));
        assertTrue(e.getMessage().contains("3 configuration problem(s)"), e.getMessage());
        assertTrue(e.getMessage().contains("rowcast.endpoint.path is 'ws'. Fix: use a path that starts with '/'"));
        assertTrue(e.getMessage().contains("rowcast.inbound.maxFrameBytes is 'lots'. Fix: use an integer from 256"));
        assertTrue(e.getMessage().contains("rowcast.connection.maxSubscriptions is '0'"));
    }
}
