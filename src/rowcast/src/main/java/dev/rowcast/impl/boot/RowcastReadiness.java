package dev.rowcast.impl.boot;

import jakarta.enterprise.inject.spi.BeanManager;
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

    // the extension, not a bean of ours: a type added by an extension may not see the library's beans
    @Inject
    BeanManager manager;

    @Override
    public HealthCheckResponse call() {
        EngineHealth health = manager.getExtension(RowcastExtension.class).engineHealth();
        return HealthCheckResponse.named(NAME).status(health != null && health.ready())
                .withData("state", health == null ? EngineHealth.State.STARTING.name() : health.state().name())
                .build();
    }
}
