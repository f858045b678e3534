/**
 * Database capture on PostgreSQL: the trigger SQL, the outbox reader, and the snapshot watermark. Started by boot;
 * hands committed transactions to the engine through the bridge, like Hibernate's capture. A cluster relay would
 * replace the reader, not the SQL. See docs/architecture.md, "Beyond one JVM".
 */
package dev.rowcast.impl.outbox;
