package dev.rowcast.impl.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        assertEquals(new RowcastSettings.Talk(2_048, 50, List.of(), 1_000, 5_000, 4, 1_000), settings.talk());
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
