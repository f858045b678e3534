package dev.rowcast.impl.boot;

import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

import dev.rowcast.impl.dispatch.EngineHealth;

/**
 * {@code rowcast-dispatch}: DOWN while the dispatch engine is stuck (a unit of work has run past
 * {@code rowcast.dispatch.stuckMillis}) or dead, so an orchestrator restarts the server. No bean-defining
 * annotation: {@link RowcastExtension} adds it only when the server has MicroProfile Health.
 */
@Liveness
public class RowcastLiveness implements HealthCheck {

    static final String NAME = "rowcast-dispatch";

    // the extension, not a bean of ours: a type added by an extension may not see the library's beans
    @Inject
    BeanManager manager;

    @Override
    public HealthCheckResponse call() {
        EngineHealth health = manager.getExtension(RowcastExtension.class).engineHealth();
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME);
        if (health == null) {
            return response.up().withData("state", EngineHealth.State.STARTING.name()).build();
        }
        return response.status(health.live())
                .withData("state", health.state().name())
                .withData("stuckMillis", health.stuckMillis())
                .withData("queuedTasks", health.queuedTasks())
                .withData("queuedBytes", health.queuedBytes())
                .withData("droppedChanges", health.droppedChanges())
                .withData("restarts", health.restarts())
                .build();
    }
}
