package dev.rowcast.impl.boot;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.AnnotatedMethod;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.ProcessManagedBean;
import jakarta.enterprise.inject.spi.ProcessObserverMethod;
import jakarta.enterprise.inject.spi.WithAnnotations;
import jakarta.persistence.Entity;

import dev.rowcast.EntityChange;
import dev.rowcast.Proposal;
import dev.rowcast.Reactive;
import dev.rowcast.RowcastConfigurationException;
import dev.rowcast.impl.bridge.ReactiveChannels;
import dev.rowcast.impl.dispatch.ChangeDispatcher;
import dev.rowcast.impl.dispatch.EngineHealth;
import dev.rowcast.spi.Viewer;

/**
 * Rowcast's CDI side. Entities are found through Hibernate's boot metadata, not here: with
 * {@code bean-discovery-mode="annotated"} CDI never sees them. What CDI does see is checked: {@code @Reactive} on a
 * type that is not an {@code @Entity} is a deployment error.
 */
public class RowcastExtension implements Extension {

    private static final Logger LOG = Logger.getLogger(RowcastExtension.class.getName());

    private final List<Class<?>> misplaced = new ArrayList<>();
    private final List<ProposalMethod> proposals = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    /** A {@code @Proposal} method and the bean it belongs to. */
    record ProposalMethod(Proposal annotation, Bean<?> bean, Method method) {
    }
    private volatile boolean changeObserved;
    /** The running engine, for the health checks; set by the web listener. */
    private volatile ChangeDispatcher engine;

    /**
     * Adds the engine's health checks when the server has MicroProfile Health. They carry no bean-defining
     * annotation, so a server without it never loads them.
     */
    void addHealthChecks(@Observes BeforeBeanDiscovery discovery) {
        try {
            Class.forName("org.eclipse.microprofile.health.HealthCheck", false, RowcastExtension.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            LOG.fine("Rowcast: no MicroProfile Health; the engine's health checks are not registered");
            return;
        }
        discovery.addAnnotatedType(RowcastLiveness.class, RowcastLiveness.class.getName());
        discovery.addAnnotatedType(RowcastReadiness.class, RowcastReadiness.class.getName());
    }

    /** Adds the holder of the metric registry when the server has MicroProfile Metrics; see {@link MicroProfileMeters}. */
    void addMetricRegistryHolder(@Observes BeforeBeanDiscovery discovery) {
        if (MicroProfileMeters.available()) {
            discovery.addAnnotatedType(MetricRegistryHolder.class, MetricRegistryHolder.class.getName());
        }
    }

    <T> void collect(@Observes @WithAnnotations(Reactive.class) ProcessAnnotatedType<T> type) {
        Class<T> javaClass = type.getAnnotatedType().getJavaClass();
        if (javaClass.isAnnotationPresent(Reactive.class) && !javaClass.isAnnotationPresent(Entity.class)) {
            misplaced.add(javaClass);
        }
    }

    /**
     * Notes whether any observer could receive an {@link EntityChange}, so the dispatch thread can skip firing the
     * event per change when none can. Generous on purpose: a wrong yes costs a fire, a wrong no loses events.
     */
    void observer(@Observes ProcessObserverMethod<?, ?> event) {
        Type observed = event.getObserverMethod().getObservedType();
        Type raw = observed instanceof ParameterizedType parameterized ? parameterized.getRawType() : observed;
        boolean typeMatches = !(raw instanceof Class<?> type) || type.isAssignableFrom(EntityChange.class);
        // the event carries @Reactive and @Any; an observer asking for another qualifier (such as the container's
        // @Initialized observers of Object) never receives it
        boolean qualifiersMatch = event.getObserverMethod().getObservedQualifiers().stream()
                .map(Annotation::annotationType)
                .allMatch(q -> q == Reactive.class || q == Any.class || q == Default.class);
        if (typeMatches && qualifiersMatch) {
            changeObserved = true;
        }
    }

    void engine(ChangeDispatcher dispatcher) {
        engine = dispatcher;
    }

    /** The engine's health, or {@code null} before it started. */
    EngineHealth engineHealth() {
        ChangeDispatcher current = engine;
        return current == null ? null : current.health();
    }

    /** Notes every {@code @Proposal} method, and what is wrong with its signature. */
    void proposals(@Observes ProcessManagedBean<?> event) {
        for (AnnotatedMethod<?> annotated : event.getAnnotatedBeanClass().getMethods()) {
            Proposal proposal = annotated.getAnnotation(Proposal.class);
            if (proposal == null) {
                continue;
            }
            Method method = annotated.getJavaMember();
            Class<?>[] parameters = method.getParameterTypes();
            String where = method.getDeclaringClass().getName() + "." + method.getName();
            if (parameters.length < 1 || parameters.length > 2 || parameters.length == 2
                    && parameters[1] != Viewer.class && parameters[1] != Principal.class) {
                problems.add("@Proposal method " + where + " must take the payload and, optionally, a Viewer or a "
                        + "Principal. Fix: change its parameters.");
            } else if (!Modifier.isPublic(method.getModifiers()) || Modifier.isStatic(method.getModifiers())) {
                problems.add("@Proposal method " + where + " must be public and not static.");
            } else if (proposal.value().isBlank() || proposal.value().length() > 64
                    || !proposal.value().chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                problems.add("@Proposal(\"" + proposal.value() + "\") on " + where + ": a name has 1 to 64 "
                        + "printable ASCII characters and no spaces.");
            } else if (proposals.stream().anyMatch(p -> p.annotation().value().equals(proposal.value()))) {
                problems.add("Two @Proposal methods are named '" + proposal.value() + "', one is " + where
                        + ". Fix: give one another name.");
            } else {
                proposals.add(new ProposalMethod(proposal, event.getBean(), method));
            }
        }
    }

    List<ProposalMethod> proposalMethods() {
        return List.copyOf(proposals);
    }

    /** Whether some observer method may receive {@code @Reactive EntityChange} events. */
    public boolean changeObserved() {
        return changeObserved;
    }

    void validate(@Observes AfterDeploymentValidation validation) {
        if (!misplaced.isEmpty()) {
            RowcastConfigurationException problem = new RowcastConfigurationException(misplaced.stream()
                    .map(type -> "@Reactive is on " + type.getName() + ", which is not a JPA @Entity. Fix: put "
                            + "@Reactive on an entity class, or remove it.")
                    .toList());
            LOG.severe(problem::summary); // first, above the container's report
            validation.addDeploymentProblem(problem);
        }
        misplaced.clear();
        if (!problems.isEmpty()) {
            RowcastConfigurationException problem = new RowcastConfigurationException(problems);
            LOG.severe(problem::summary);
            validation.addDeploymentProblem(problem);
        }
        if (ReactiveChannels.all().isEmpty()) {
            LOG.warning("ROWCAST-002: no @Reactive entity found in any persistence unit. Check that the persistence "
                    + "provider is Hibernate ORM and that the entity has @Reactive(scopes = ...).");
        }
    }
}
