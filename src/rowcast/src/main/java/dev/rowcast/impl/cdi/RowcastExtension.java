package dev.rowcast.impl.cdi;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.WithAnnotations;
import jakarta.persistence.Entity;

import dev.rowcast.Reactive;
import dev.rowcast.impl.model.ReactiveChannels;

/**
 * Rowcast's CDI side. Entities are found through Hibernate's boot metadata, not here: with
 * {@code bean-discovery-mode="annotated"} CDI never sees them. What CDI does see is checked: {@code @Reactive} on a
 * type that is not an {@code @Entity} is a deployment error.
 */
public class RowcastExtension implements Extension {

    private static final Logger LOG = Logger.getLogger(RowcastExtension.class.getName());

    private final List<Class<?>> misplaced = new ArrayList<>();

    <T> void collect(@Observes @WithAnnotations(Reactive.class) ProcessAnnotatedType<T> type) {
        Class<T> javaClass = type.getAnnotatedType().getJavaClass();
        if (javaClass.isAnnotationPresent(Reactive.class) && !javaClass.isAnnotationPresent(Entity.class)) {
            misplaced.add(javaClass);
        }
    }

    void validate(@Observes AfterDeploymentValidation validation) {
        for (Class<?> type : misplaced) {
            validation.addDeploymentProblem(new IllegalStateException("@Reactive is on " + type.getName()
                    + ", which is not a JPA @Entity. Fix: put @Reactive on an entity class, or remove it."));
        }
        misplaced.clear();
        if (ReactiveChannels.all().isEmpty()) {
            LOG.warning("Rowcast: no @Reactive entity found in any persistence unit. Check that the persistence "
                    + "provider is Hibernate ORM and that the entity has @Reactive(scopes = ...).");
        }
    }
}
