package dev.rowcast;

/** The kind of committed change, with its name on the wire. */
public enum ChangeType {

    INSERT("afterInsert"),
    UPDATE("afterUpdate"),
    DELETE("afterDelete");

    private final String wireName;

    ChangeType(String wireName) {
        this.wireName = wireName;
    }

    /** The value of {@code event.type} in a change frame, e.g. {@code afterInsert}. */
    public String wireName() {
        return wireName;
    }
}
