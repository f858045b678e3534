/**
 * Cluster mode on Redis: the relay that gives each outbox row its positions, the log every instance reads, and the
 * shared replay history. Reached only from boot. See docs/architecture.md, "Cluster mode (Redis)".
 */
package dev.rowcast.impl.cluster;
