package dev.rowcast.impl.hibernate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import org.hibernate.boot.Metadata;
import org.hibernate.boot.spi.BootstrapContext;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.event.service.spi.EventListenerRegistry;
import org.hibernate.event.spi.EventType;
import org.hibernate.integrator.spi.Integrator;
import org.hibernate.service.spi.SessionFactoryServiceRegistry;

import dev.rowcast.RowcastConfigurationException;
import dev.rowcast.impl.bridge.ReactiveChannels;
import dev.rowcast.impl.model.ReactiveEntityModel;

/**
 * Found by Hibernate through {@code META-INF/services}, so annotating an entity is all a user does: no entity
 * listener line. Validates every {@code @Reactive} entity of the persistence unit (a problem fails the unit, and so
 * the deployment) and installs the post-commit listener for them.
 */
public final class RowcastIntegrator implements Integrator {

    private static final Logger LOG = Logger.getLogger(RowcastIntegrator.class.getName());

    private final Map<SessionFactoryImplementor, List<ReactiveEntityModel>> registered = new ConcurrentHashMap<>();

    @Override
    public void integrate(Metadata metadata, BootstrapContext bootstrapContext,
            SessionFactoryImplementor sessionFactory) {
        BootModelReader reader = new BootModelReader(metadata);
        List<ReactiveEntityModel> models = reader.read();
        if (!reader.problems().isEmpty()) {
            throw logged(new RowcastConfigurationException(reader.problems()));
        }
        if (models.isEmpty()) {
            return;
        }
        List<String> conflicts = ReactiveChannels.register(models);
        if (!conflicts.isEmpty()) {
            ReactiveChannels.unregister(models);
            throw logged(new RowcastConfigurationException(conflicts));
        }
        registered.put(sessionFactory, models);

        Map<String, EntityCapture> captures = new LinkedHashMap<>();
        HibernateConnections database = new HibernateConnections(sessionFactory);
        for (ReactiveEntityModel model : models) {
            ReactiveChannels.registerDatabase(model.channel(), database);
            EntityCapture capture = new EntityCapture(model);
            captures.put(model.entityName(), capture);
            if (model.snapshotModel().isPresent()) {
                ReactiveChannels.registerSnapshotSource(model.channel(),
                        new HibernateSnapshotSource(sessionFactory, capture));
            }
        }
        ChangeCaptureListener listener = new ChangeCaptureListener(captures);
        EventListenerRegistry listeners = sessionFactory.getEventEngine().getListenerRegistry();
        listeners.appendListeners(EventType.POST_INSERT, listener);
        listeners.appendListeners(EventType.POST_UPDATE, listener);
        listeners.appendListeners(EventType.POST_DELETE, listener);
        models.forEach(model -> LOG.info(() -> "Rowcast: " + model.entityClass().getName() + " is reactive on channel '"
                + model.channel() + "' with scopes [" + model.scopeColumns() + "]"));
    }

    @Override
    public void disintegrate(SessionFactoryImplementor sessionFactory, SessionFactoryServiceRegistry serviceRegistry) {
        List<ReactiveEntityModel> models = registered.remove(sessionFactory);
        if (models != null) {
            ReactiveChannels.unregister(models);
        }
    }

    /** Logged before the throw, so the fix is the first SEVERE line, above the container's report. */
    private static RowcastConfigurationException logged(RowcastConfigurationException e) {
        LOG.severe(e::summary);
        return e;
    }
}
