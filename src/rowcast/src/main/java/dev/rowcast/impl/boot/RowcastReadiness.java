package dev.rowcast.impl.boot;

import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.rowcast.impl.bridge.ReadinessContributor;
import dev.rowcast.impl.bridge.ReadinessContributors;
import dev.rowcast.impl.dispatch.EngineHealth;

/**
 * {@code rowcast}: UP once the dispatch engine runs and the endpoint is deployed, DOWN before, while stuck or dead,
 * after stop, and while a {@link ReadinessContributor} (a capture listener, a bus) is not ready. Added by {@link RowcastExtension} only when the server has MicroProfile Health.
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
        boolean ready = health != null && health.ready();
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME)
                .withData("state", health == null ? EngineHealth.State.STARTING.name() : health.state().name());
        for (ReadinessContributor contributor : ReadinessContributors.contributors()) {
            boolean up;
            String detail;
            try {
                up = contributor.ready();
                detail = up ? "UP" : "DOWN" + (contributor.detail() == null ? "" : ": " + contributor.detail());
            } catch (RuntimeException e) { // a broken contributor counts as not ready
                up = false;
                detail = "DOWN: " + e;
            }
            ready &= up;
            response.withData(contributor.name(), detail);
        }
        return response.status(ready).build();
    }
}
