package dev.rowcast.impl.outbox;

/** One row of {@code rowcast_outbox}, as read: {@code op} is {@code I}, {@code U} or {@code D}. */
public record OutboxRow(long id, String txid, String table, String op, String oldRow, String newRow) {
}
