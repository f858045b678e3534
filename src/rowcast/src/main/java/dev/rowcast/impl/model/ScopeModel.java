package dev.rowcast.impl.model;

/**
 * One scope of a reactive entity: the attribute it reads, the column that names it on the wire, and the Java type of
 * its values (for a to-one association, the type of the target's id). How a wire value becomes one of these is the
 * protocol's business: {@code impl.protocol.ScopeValueKind}.
 */
public record ScopeModel(String attribute, String column, Class<?> valueType) {
}
