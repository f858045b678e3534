package dev.rowcast.impl.dispatch;

import java.io.StringReader;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import dev.rowcast.impl.security.RowPolicy;
import dev.rowcast.impl.security.RowViews;
import dev.rowcast.spi.Position;
import dev.rowcast.spi.RowVisibility;
import dev.rowcast.spi.StreamId;
import dev.rowcast.spi.Viewer;

/**
 * The replay store keeps the frame everyone allowed would see; a replayed frame is judged again for its viewer.
 * Replay is rare, so parsing the stored frame back is acceptable here.
 */
final class ReplayFilter {

    private ReplayFilter() {
    }

    static String apply(String frame, StreamId stream, RowPolicy policy, Viewer viewer) {
        JsonObject stored;
        try (JsonReader reader = Json.createReader(new StringReader(frame))) {
            stored = reader.readObject();
        }
        JsonObject event = stored.getJsonObject("event");
        JsonObject position = stored.getJsonObject("position");
        Position at = new Position(position.getString("epoch"), position.getJsonNumber("seq").longValue());
        if (!event.containsKey("row")) {
            return frame; // already a hidden event
        }
        RowVisibility verdict = policy.visibility(viewer,
                RowViews.of(stream.channel(), event.getString("type"), event.getJsonObject("row")));
        if (verdict.isHidden()) {
            return Frames.hidden(stream, at);
        }
        if (verdict.droppedColumns().isEmpty()) {
            return frame;
        }
        return Frames.change(stream, at, Redaction.without(event, verdict.droppedColumns()).toString());
    }
}
