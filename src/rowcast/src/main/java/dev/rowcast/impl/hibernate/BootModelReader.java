package dev.rowcast.impl.hibernate;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.hibernate.boot.Metadata;
import org.hibernate.dialect.Dialect;
import org.hibernate.mapping.BasicValue;
import org.hibernate.mapping.Column;
import org.hibernate.mapping.PersistentClass;
import org.hibernate.mapping.Property;
import org.hibernate.mapping.Selectable;
import org.hibernate.mapping.Table;
import org.hibernate.mapping.ToOne;
import org.hibernate.mapping.Value;
import org.hibernate.type.descriptor.converter.spi.BasicValueConverter;

import dev.rowcast.Reactive;
import dev.rowcast.Snapshot;
import dev.rowcast.VisibleTo;
import dev.rowcast.impl.model.ColumnModel;
import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.model.ScopeModel;
import dev.rowcast.impl.model.SnapshotModel;
import dev.rowcast.impl.protocol.ScopeValueKind;

/**
 * Reads the {@code @Reactive} entities of one persistence unit from Hibernate's boot metadata, which lists every
 * entity whatever the CDI discovery mode. Collects every problem before reporting, so one deployment shows them all.
 */
final class BootModelReader {

    private final Metadata metadata;
    private final List<String> problems = new ArrayList<>();

    BootModelReader(Metadata metadata) {
        this.metadata = metadata;
    }

    List<ReactiveEntityModel> read() {
        List<ReactiveEntityModel> models = new ArrayList<>();
        for (PersistentClass entity : metadata.getEntityBindings()) {
            Class<?> type = entity.getMappedClass();
            Reactive reactive = type == null ? null : type.getAnnotation(Reactive.class);
            if (reactive != null) {
                read(entity, reactive).ifPresent(models::add);
            }
        }
        return models;
    }

    List<String> problems() {
        return problems;
    }

    private Optional<ReactiveEntityModel> read(PersistentClass entity, Reactive reactive) {
        String className = entity.getMappedClass().getName();
        Property idProperty = entity.getIdentifierProperty();
        Optional<String> idColumn = idProperty == null ? Optional.empty() : singleColumn(idProperty.getValue());
        if (idColumn.isEmpty()) {
            problems.add("@Reactive entity " + className + " has a composite or embedded id, which Rowcast does not "
                    + "support yet. Fix: use a single-column @Id, or remove @Reactive.");
            return Optional.empty();
        }

        Map<String, ColumnModel> columns = new LinkedHashMap<>();
        for (Property property : entity.getPropertyClosure()) {
            rowColumn(property).ifPresent(column -> columns.put(property.getName(), column));
        }

        List<ScopeModel> scopes = new ArrayList<>();
        if (reactive.scopes().length == 0) {
            problems.add("@Reactive entity " + className + " declares no scopes. Fix: name the attributes clients may "
                    + "filter on, e.g. @Reactive(scopes = \"" + suggestion(entity) + "\").");
        }
        for (String attribute : reactive.scopes()) {
            scope(entity, idProperty, idColumn.get(), columns, attribute).ifPresent(scope -> {
                if (scopes.stream().anyMatch(existing -> existing.column().equals(scope.column()))) {
                    problems.add("@Reactive entity " + className + " names scope '" + attribute + "' twice. Fix: "
                            + "list each scope attribute once.");
                } else {
                    scopes.add(scope);
                }
            });
        }

        SnapshotModel snapshot = snapshot(entity, reactive.snapshot(), idProperty.getName(), idColumn.get(), columns);
        String channel = reactive.channel().isBlank() ? entity.getTable().getName() : reactive.channel().strip();
        return Optional.of(new ReactiveEntityModel(entity.getEntityName(), entity.getMappedClass(), channel,
                entity.getTable().getName(), idProperty.getName(), idColumn.get(),
                List.copyOf(columns.values()), scopes, snapshot, List.of(reactive.rolesAllowed()),
                visibleTo(entity.getMappedClass(), columns), batchMillis(className, reactive.batchMs()),
                idProperty.getType().getReturnedClass(), reactive.capture(), sqlTable(entity.getTable())));
    }

    private int batchMillis(String className, int batchMs) {
        if (batchMs < 0 || batchMs > ReactiveEntityModel.MAX_BATCH_MILLIS) {
            problems.add("@Reactive entity " + className + " has batchMs = " + batchMs + ". Fix: use 0 (no batching) to "
                    + ReactiveEntityModel.MAX_BATCH_MILLIS + ".");
            return 0;
        }
        return batchMs;
    }

    /** {@code @VisibleTo} on a field or getter of a row attribute, anywhere in the class hierarchy. */
    private Map<String, Set<String>> visibleTo(Class<?> type, Map<String, ColumnModel> columns) {
        Map<String, Set<String>> visibleTo = new LinkedHashMap<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                collect(type, field.getName(), field.getAnnotation(VisibleTo.class), columns, visibleTo);
            }
            for (Method method : c.getDeclaredMethods()) {
                String name = method.getName();
                String attribute = name.startsWith("get") && name.length() > 3 ? decapitalize(name.substring(3))
                        : name.startsWith("is") && name.length() > 2 ? decapitalize(name.substring(2)) : name;
                collect(type, attribute, method.getAnnotation(VisibleTo.class), columns, visibleTo);
            }
        }
        return visibleTo;
    }

    private void collect(Class<?> type, String attribute, VisibleTo annotation, Map<String, ColumnModel> columns,
            Map<String, Set<String>> visibleTo) {
        if (annotation == null) {
            return;
        }
        ColumnModel column = columns.get(attribute);
        if (column == null || annotation.value().length == 0) {
            problems.add("@VisibleTo on " + type.getName() + "." + attribute + (column == null
                    ? " is not on a column of the row (a basic attribute or a to-one association). Fix: move it to "
                            + "one, or remove it."
                    : " names no role. Fix: name the roles that may see it, e.g. @VisibleTo(\"admin\")."));
            return;
        }
        visibleTo.put(column.column(), Set.of(annotation.value()));
    }

    private static String decapitalize(String name) {
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private SnapshotModel snapshot(PersistentClass entity, Snapshot snapshot, String idAttribute, String idColumn,
            Map<String, ColumnModel> columns) {
        String className = entity.getMappedClass().getName();
        if (snapshot.limit() < 0 || snapshot.limit() > SnapshotModel.MAX_LIMIT) {
            problems.add("@Reactive entity " + className + " has @Snapshot(limit = " + snapshot.limit() + "). Fix: "
                    + "use 1 to " + SnapshotModel.MAX_LIMIT + ", or 0 for no snapshot.");
            return null;
        }
        if (snapshot.limit() == 0) {
            if (!snapshot.orderBy().isEmpty()) {
                problems.add("@Reactive entity " + className + " has @Snapshot(orderBy = \"" + snapshot.orderBy()
                        + "\") but no limit, so no snapshot is taken. Fix: set limit, e.g. @Snapshot(limit = 100, "
                        + "orderBy = \"" + snapshot.orderBy() + "\").");
            }
            return null;
        }
        String order = snapshot.orderBy().isBlank() ? idAttribute : snapshot.orderBy().strip();
        if (order.equals(idAttribute)) {
            return new SnapshotModel(snapshot.limit(), idAttribute, idColumn, snapshot.descending());
        }
        ColumnModel column = columns.get(order);
        if (column == null || column.toOne()) {
            problems.add("@Reactive entity " + className + " orders its snapshot by '" + order + "', which is not a "
                    + "basic attribute. Fix: use @Snapshot(orderBy = ...) with one of: " + idAttribute + ", "
                    + String.join(", ", columns.values().stream().filter(c -> !c.toOne())
                            .map(ColumnModel::attribute).toList()) + ".");
            return null;
        }
        return new SnapshotModel(snapshot.limit(), order, column.column(), snapshot.descending());
    }

    private Optional<ScopeModel> scope(PersistentClass entity, Property idProperty, String idColumn,
            Map<String, ColumnModel> columns, String attribute) {
        String className = entity.getMappedClass().getName();
        if (attribute.equals(idProperty.getName())) {
            return scopeOfType(className, attribute, idColumn, idProperty.getType().getReturnedClass());
        }
        Property property = findProperty(entity, attribute);
        if (property == null) {
            Optional<String> byColumn = columns.values().stream()
                    .filter(column -> column.column().equalsIgnoreCase(attribute))
                    .map(ColumnModel::attribute).findFirst();
            problems.add("@Reactive entity " + className + " names scope '" + attribute + "', but it has no such "
                    + "attribute. Known attributes: " + knownAttributes(entity) + ". Fix: " + byColumn
                            .map(name -> "'" + attribute + "' is the column of attribute '" + name
                                    + "'; write @Reactive(scopes = \"" + name + "\").")
                            .orElse("use one of them (the Java attribute name, not the column name)."));
            return Optional.empty();
        }
        ColumnModel column = columns.get(attribute);
        if (column == null) {
            problems.add("@Reactive entity " + className + " names scope '" + attribute + "', but that attribute is "
                    + describe(property.getValue()) + ", which cannot be a scope. Fix: scope on a basic attribute, "
                    + "the id, or a single-column to-one association.");
            return Optional.empty();
        }
        Class<?> type = column.toOne()
                ? targetIdType((ToOne) property.getValue())
                : property.getType().getReturnedClass();
        if (type == null) {
            problems.add("@Reactive entity " + className + " names scope '" + attribute + "', whose target entity "
                    + "has a composite id. Fix: scope on an association whose target has a single-column @Id.");
            return Optional.empty();
        }
        return scopeOfType(className, attribute, column.column(), type);
    }

    private Optional<ScopeModel> scopeOfType(String className, String attribute, String column, Class<?> type) {
        Optional<ScopeValueKind> kind = ScopeValueKind.of(type);
        if (kind.isEmpty()) {
            problems.add("@Reactive entity " + className + " names scope '" + attribute + "' of type "
                    + type.getName() + ", which cannot be a scope: scope values are compared for equality and must be "
                    + ScopeValueKind.supportedTypes() + ". Fix: scope on an attribute of one of those types.");
            return Optional.empty();
        }
        return Optional.of(new ScopeModel(attribute, column, type));
    }

    /** Basic single-column attributes and single-column to-one associations; the rest stays out of the row. */
    private Optional<ColumnModel> rowColumn(Property property) {
        Value value = property.getValue();
        if (value instanceof ToOne toOne) {
            Class<?> targetId = targetIdType(toOne);
            return singleColumn(toOne).map(column -> new ColumnModel(property.getName(), column, true,
                    targetId == null ? Object.class : targetId));
        }
        if (value instanceof BasicValue basic) {
            Class<?> type = property.getType().getReturnedClass();
            BasicValueConverter<?, ?> converter = converter(basic);
            return singleColumn(value).map(column -> converter == null
                    ? new ColumnModel(property.getName(), column, false, type)
                    : new ColumnModel(property.getName(), column, false, type,
                            converter.getRelationalJavaType().getJavaTypeClass(), stored -> toDomain(converter, stored)));
        }
        return Optional.empty();
    }

    /** The attribute's converter (an AttributeConverter, YesNo, ...), for values read outside Hibernate; or null. */
    private static BasicValueConverter<?, ?> converter(BasicValue basic) {
        try {
            BasicValueConverter<?, ?> converter = basic.resolve().getValueConverter();
            return converter == null || converter.getRelationalJavaType() == null ? null : converter;
        } catch (RuntimeException e) {
            return null; // unresolvable here: values are converted to the attribute type directly
        }
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static Object toDomain(BasicValueConverter converter, Object stored) {
        return stored == null ? null : converter.toDomainValue(stored);
    }

    /** Quoted as the mapping quotes it, so a trigger lands on the table Hibernate writes. */
    private String sqlTable(Table table) {
        Dialect dialect = metadata.getDatabase().getDialect();
        String name = table.getQuotedName(dialect);
        String schema = table.getQuotedSchema(dialect);
        return schema == null || schema.isBlank() ? name : schema + "." + name;
    }

    private static Optional<String> singleColumn(Value value) {
        List<Selectable> selectables = value.getSelectables();
        if (selectables.size() == 1 && selectables.get(0) instanceof Column column) {
            return Optional.of(column.getName());
        }
        return Optional.empty();
    }

    private Class<?> targetIdType(ToOne toOne) {
        PersistentClass target = metadata.getEntityBinding(toOne.getReferencedEntityName());
        if (target == null || target.getIdentifierProperty() == null
                || singleColumn(target.getIdentifierProperty().getValue()).isEmpty()) {
            return null;
        }
        return target.getIdentifierProperty().getType().getReturnedClass();
    }

    private static Property findProperty(PersistentClass entity, String name) {
        return entity.getPropertyClosure().stream()
                .filter(property -> property.getName().equals(name)).findFirst().orElse(null);
    }

    private static String knownAttributes(PersistentClass entity) {
        List<String> names = new ArrayList<>();
        names.add(entity.getIdentifierProperty() == null ? "(composite id)" : entity.getIdentifierProperty().getName());
        entity.getPropertyClosure().forEach(property -> names.add(property.getName()));
        return String.join(", ", names);
    }

    private static String suggestion(PersistentClass entity) {
        return entity.getPropertyClosure().stream()
                .filter(property -> property.getValue() instanceof ToOne)
                .map(Property::getName).findFirst()
                .orElse(entity.getIdentifierProperty() == null ? "id" : entity.getIdentifierProperty().getName());
    }

    private static String describe(Value value) {
        if (value instanceof org.hibernate.mapping.Collection) {
            return "a collection";
        }
        if (value instanceof org.hibernate.mapping.Component) {
            return "an embeddable";
        }
        if (value instanceof ToOne) {
            return "an association without a single foreign key column (mappedBy or composite)";
        }
        return "not a single-column attribute";
    }
}
