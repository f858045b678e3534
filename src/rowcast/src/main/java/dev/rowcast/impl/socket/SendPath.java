package dev.rowcast.impl.socket;

/**
 * How one socket's frames go out.
 *
 * @param senders where its pump runs
 * @param outlet how each message is handed to the container
 * @param maxBatchChars the most characters coalesced into one {@code frames} message; 0 for a v1 client
 */
record SendPath(Senders senders, Outlet outlet, int maxBatchChars) {
}
