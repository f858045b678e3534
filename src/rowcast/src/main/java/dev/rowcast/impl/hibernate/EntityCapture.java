package dev.rowcast.impl.hibernate;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.persister.entity.EntityPersister;

import dev.rowcast.ChangeType;
import dev.rowcast.EntityChange;
import dev.rowcast.impl.model.ColumnModel;
import dev.rowcast.impl.model.ReactiveEntityModel;

/**
 * Turns Hibernate's state arrays for one reactive entity into an {@link EntityChange}. Runs on the committing
 * thread, so it only copies values already in memory: no SQL, no lazy loading, no serialization.
 */
final class EntityCapture {

    private final ReactiveEntityModel model;
    private volatile int[] stateIndexes;

    EntityCapture(ReactiveEntityModel model) {
        this.model = model;
    }

    ReactiveEntityModel model() {
        return model;
    }

    EntityChange insertOrDelete(ChangeType type, Object id, Object[] state, EntityPersister persister) {
        return new EntityChange(type, model.channel(), model.table(), model.entityClass(), model.idColumn(), id,
                row(id, state, persister), Map.of());
    }

    /** @return the update, or {@code null} when no column of the row really changed */
    EntityChange update(Object id, Object[] state, Object[] oldState, EntityPersister persister) {
        Map<String, Object> row = row(id, state, persister);
        Map<String, Object> previous = new LinkedHashMap<>();
        if (oldState != null) {
            Map<String, Object> oldRow = row(id, oldState, persister);
            row.forEach((column, value) -> {
                Object old = oldRow.get(column);
                if (!same(old, value)) {
                    previous.put(column, old);
                }
            });
            if (previous.isEmpty()) {
                return null;
            }
        }
        return new EntityChange(ChangeType.UPDATE, model.channel(), model.table(), model.entityClass(),
                model.idColumn(), id, row, previous);
    }

    /** The row of the given state: the id, then each column in model order. */
    Map<String, Object> row(Object id, Object[] state, EntityPersister persister) {
        int[] indexes = indexes(persister);
        SessionFactoryImplementor factory = persister.getFactory();
        List<ColumnModel> columns = model.columns();
        Map<String, Object> row = new LinkedHashMap<>(columns.size() * 2 + 2);
        row.put(model.idColumn(), id);
        for (int i = 0; i < columns.size(); i++) {
            Object value = state[indexes[i]];
            row.put(columns.get(i).column(), columns.get(i).toOne() ? foreignKey(factory, value) : copy(value));
        }
        return row;
    }

    /** Reads the associated entity's id; a lazy proxy answers from its initializer without loading. */
    private static Object foreignKey(SessionFactoryImplementor factory, Object associated) {
        return associated == null ? null : factory.getPersistenceUnitUtil().getIdentifier(associated);
    }

    /** Mutable values are copied: the row is serialized later, on another thread. */
    private static Object copy(Object value) {
        if (value instanceof Date date) {
            return date.clone();
        }
        if (value instanceof byte[] bytes) {
            return bytes.clone();
        }
        return value;
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        return Objects.deepEquals(a, b);
    }

    /** Maps the model's columns to positions in the persister's state arrays, once. */
    private int[] indexes(EntityPersister persister) {
        int[] resolved = stateIndexes;
        if (resolved == null) {
            List<String> names = Arrays.asList(persister.getPropertyNames());
            resolved = model.columns().stream().mapToInt(column -> names.indexOf(column.attribute())).toArray();
            for (int i = 0; i < resolved.length; i++) {
                if (resolved[i] < 0) {
                    throw new IllegalStateException("Rowcast: " + persister.getEntityName() + " has no attribute "
                            + model.columns().get(i).attribute() + " at run time");
                }
            }
            stateIndexes = resolved;
        }
        return resolved;
    }
}
