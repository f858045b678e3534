package dev.rowcast.impl.boot;

import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.rowcast.impl.dispatch.EngineHealth;

/**
 * {@code rowcast}: UP once the dispatch engine runs and the endpoint is deployed, DOWN before, while stuck or dead,
 * and after stop. Added by {@link RowcastExtension} only when the server has MicroProfile Health.
 */
@Readiness
public class RowcastReadiness implements HealthCheck {

    static final String NAME = "rowcast";

    @Inject
    RowcastBeans beans;

    @Override
    public HealthCheckResponse call() {
        EngineHealth health = beans.engineHealth();
        return HealthCheckResponse.named(NAME).status(health != null && health.ready())
                .withData("state", health == null ? EngineHealth.State.STARTING.name() : health.state().name())
                .build();
    }
}
