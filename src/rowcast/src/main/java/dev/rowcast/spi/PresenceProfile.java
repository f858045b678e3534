package dev.rowcast.spi;

import java.util.Map;

/**
 * Adds public fields to a caller's presence entry on a stream, next to the principal's name: a display name, an
 * avatar, a colour. Everyone present on the stream sees them, so return nothing private. Values are strings,
 * numbers, booleans or {@code null}. Called once per caller and stream, when the caller's first socket joins, on
 * Rowcast's talk thread (it has the application's context); keep it fast. A profile that throws, or whose fields
 * exceed {@code rowcast.broadcast.maxBytes}, leaves the entry with the name alone.
 */
public interface PresenceProfile {

    Map<String, Object> fields(Viewer viewer, StreamId stream);
}
