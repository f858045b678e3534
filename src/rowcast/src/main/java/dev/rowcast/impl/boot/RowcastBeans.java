package dev.rowcast.impl.boot;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import dev.rowcast.EntityChange;
import dev.rowcast.Reactive;
import dev.rowcast.impl.dispatch.ChangeDispatcher;
import dev.rowcast.spi.CredentialExpiry;
import dev.rowcast.spi.ReplayStore;
import dev.rowcast.spi.RowFilter;
import dev.rowcast.spi.SubscriptionAuthorizer;

/**
 * Everything Rowcast takes from CDI and the container, in one bean, so the web listener resolves the CDI world once
 * and the engine underneath stays plain Java. Resource injection works in beans on every server, not in listeners
 * of library jars.
 */
@ApplicationScoped
class RowcastBeans {

    @Inject
    @Reactive
    Event<EntityChange> changeEvent;

    @Inject
    RowcastExtension extension;

    @Inject
    Instance<ReplayStore> replayStores;

    @Inject
    Instance<RowFilter> rowFilters;

    @Inject
    Instance<SubscriptionAuthorizer> authorizers;

    @Inject
    Instance<CredentialExpiry> expiries;

    @Inject
    RowcastSubscriptions subscriptions;

    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ManagedThreadFactory threads;

    @Resource(lookup = "java:comp/DefaultManagedExecutorService")
    ManagedExecutorService executor;

    /** Fires the event for each change, or {@code null} when no observer could receive it. */
    Consumer<EntityChange> observers() {
        if (!extension.changeObserved()) {
            return null;
        }
        Event<EntityChange> event = changeEvent;
        return event::fire;
    }

    Optional<ReplayStore> replayStore() {
        return replayStores.isResolvable() ? Optional.of(replayStores.get()) : Optional.empty();
    }

    List<RowFilter> rowFilters() {
        return rowFilters.stream().toList();
    }

    List<SubscriptionAuthorizer> authorizers() {
        return authorizers.stream().toList();
    }

    List<CredentialExpiry> expiries() {
        return expiries.stream().toList();
    }

    RowcastSubscriptions subscriptions() {
        return subscriptions;
    }

    ManagedThreadFactory threads() {
        return threads;
    }

    ManagedExecutorService executor() {
        return executor;
    }

    /** Shows the engine to the health checks, once it runs and the endpoint is deployed. */
    void engine(ChangeDispatcher dispatcher) {
        extension.engine(dispatcher);
    }
}
