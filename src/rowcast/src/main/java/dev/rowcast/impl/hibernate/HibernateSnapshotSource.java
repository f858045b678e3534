package dev.rowcast.impl.hibernate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.hibernate.StatelessSession;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.persister.entity.EntityPersister;

import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.model.ScopeModel;
import dev.rowcast.impl.model.SnapshotModel;
import dev.rowcast.impl.model.SnapshotSource;

/**
 * Reads snapshot rows through a stateless session: no persistence context to fill, and rows are built by the same
 * {@link EntityCapture} as change rows, so both have one shape. A to-one scope compares the foreign key,
 * {@code fk(e.conversation)}, without joining.
 */
final class HibernateSnapshotSource implements SnapshotSource {

    private final SessionFactoryImplementor factory;
    private final EntityCapture capture;

    HibernateSnapshotSource(SessionFactoryImplementor factory, EntityCapture capture) {
        this.factory = factory;
        this.capture = capture;
    }

    @Override
    public List<Map<String, Object>> read(ScopeModel scope, Object value) {
        ReactiveEntityModel model = capture.model();
        SnapshotModel snapshot = model.snapshotModel().orElseThrow();
        boolean toOne = model.columns().stream()
                .anyMatch(column -> column.toOne() && column.attribute().equals(scope.attribute()));
        String direction = snapshot.descending() ? " desc" : " asc";
        String query = "select e from " + model.entityName() + " e where "
                + (toOne ? "fk(e." + scope.attribute() + ")" : "e." + scope.attribute()) + " = :value"
                + " order by e." + snapshot.orderAttribute() + direction + ", e." + model.idAttribute() + direction;
        EntityPersister persister = factory.getMappingMetamodel().getEntityDescriptor(model.entityName());
        try (StatelessSession session = factory.openStatelessSession()) {
            List<?> entities = session.createSelectionQuery(query, model.entityClass())
                    .setParameter("value", value)
                    .setMaxResults(snapshot.limit())
                    .getResultList();
            List<Map<String, Object>> rows = new ArrayList<>(entities.size());
            for (Object entity : entities) {
                Object id = persister.getIdentifier(entity, (SharedSessionContractImplementor) session);
                rows.add(capture.row(id, persister.getValues(entity), persister));
            }
            return rows;
        }
    }
}
