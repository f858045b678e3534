package dev.rowcast.impl.boot;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.transaction.UserTransaction;
import jakarta.validation.Validator;

import dev.rowcast.EntityChange;
import dev.rowcast.Group;
import dev.rowcast.Reactive;
import dev.rowcast.impl.dispatch.ChangeDispatcher;
import dev.rowcast.spi.BroadcastPolicy;
import dev.rowcast.spi.CredentialExpiry;
import dev.rowcast.spi.NotificationDecoder;
import dev.rowcast.spi.PresenceProfile;
import dev.rowcast.spi.ProposalAuthorizer;
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
    Instance<NotificationDecoder> notificationDecoders;

    @Inject
    Instance<CredentialExpiry> expiries;

    @Inject
    RowcastSubscriptions subscriptions;

    @Inject
    Instance<PresenceProfile> presenceProfiles;

    @Inject
    Instance<BroadcastPolicy> broadcastPolicies;

    @Inject
    Instance<ProposalAuthorizer> proposalAuthorizers;

    @Inject
    @Any
    Instance<Group> groups;

    @Inject
    Instance<Validator> validators;

    @Inject
    BeanManager beanManager;

    @Resource(lookup = "java:comp/UserTransaction")
    UserTransaction transaction;

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

    List<NotificationDecoder> notificationDecoders() {
        return notificationDecoders.stream().toList();
    }

    List<SubscriptionAuthorizer> authorizers() {
        return authorizers.stream().toList();
    }

    List<CredentialExpiry> expiries() {
        return expiries.stream().toList();
    }

    List<PresenceProfile> presenceProfiles() {
        return presenceProfiles.stream().toList();
    }

    List<BroadcastPolicy> broadcastPolicies() {
        return broadcastPolicies.stream().toList();
    }

    List<ProposalAuthorizer> proposalAuthorizers() {
        return proposalAuthorizers.stream().toList();
    }

    List<Group> groups() {
        return groups.stream().toList();
    }

    /** Bean Validation, or {@code null} on a server without it. */
    Validator validator() {
        return validators.isResolvable() ? validators.get() : null;
    }

    /** Through a method: this bean is a client proxy, whose fields are not the bean's. */
    List<RowcastExtension.ProposalMethod> proposalMethods() {
        return extension.proposalMethods();
    }

    BeanManager beanManager() {
        return beanManager;
    }

    UserTransaction transaction() {
        return transaction;
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
