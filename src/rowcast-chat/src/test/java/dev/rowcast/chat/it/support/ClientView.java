package dev.rowcast.chat.it.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * What a careful client knows about one stream of a channel with a snapshot: the rows, rebuilt from snapshot and
 * change frames, and its position. It records every protocol violation it sees instead of throwing, so a test can report them all.
 */
public final class ClientView {

    private final Map<Long, JsonObject> rows = new LinkedHashMap<>();
    private final List<String> violations = new ArrayList<>();
    private String epoch;
    private long seq = -1;
    private int applied;

    public synchronized void accept(JsonObject frame) {
        switch (frame.getString("type")) {
            case "subscribed" -> {
                // the position comes with the snapshot that follows: a client dropped before it arrives holds
                // none of the rows yet, so it must subscribe afresh, not resume from the head it was told
            }
            case "snapshot" -> {
                rows.clear();
                for (JsonValue row : frame.getJsonArray("rows")) {
                    JsonObject object = row.asJsonObject();
                    rows.put(object.getJsonNumber("id").longValue(), object);
                }
                position(frame.getJsonObject("position"));
            }
            case "change" -> change(frame);
            default -> {
                // errors (replay_unavailable) are followed by a snapshot; nothing to apply
            }
        }
    }

    private void change(JsonObject frame) {
        JsonObject position = frame.getJsonObject("position");
        String frameEpoch = position.getString("epoch");
        long frameSeq = position.getJsonNumber("seq").longValue();
        if (epoch != null && epoch.equals(frameEpoch) && frameSeq <= seq) {
            violations.add("duplicate seq " + frameSeq + " after " + seq + ": " + frame);
            return;
        }
        if (epoch == null || !epoch.equals(frameEpoch) || frameSeq != seq + 1) {
            violations.add("gap or epoch change: had " + epoch + "/" + seq + ", got " + frameEpoch + "/" + frameSeq);
        }
        epoch = frameEpoch;
        seq = frameSeq;
        JsonObject event = frame.getJsonObject("event");
        long id = event.getJsonObject("primaryKey").getJsonNumber("id").longValue();
        switch (event.getString("type")) {
            case "afterInsert", "afterUpdate", "enter" -> rows.put(id, event.getJsonObject("row"));
            case "afterDelete", "leave" -> rows.remove(id);
            default -> violations.add("unknown event type " + event);
        }
        applied++;
    }

    private void position(JsonObject position) {
        epoch = position.getString("epoch");
        seq = position.getJsonNumber("seq").longValue();
    }

    /** The last position applied, as a {@code from} member, or null before any. */
    public synchronized String from() {
        return epoch == null ? null : "{\"epoch\":\"" + epoch + "\",\"seq\":" + seq + "}";
    }

    public synchronized Map<Long, JsonObject> rows() {
        return new LinkedHashMap<>(rows);
    }

    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    public synchronized long seq() {
        return seq;
    }

    public synchronized int applied() {
        return applied;
    }
}
