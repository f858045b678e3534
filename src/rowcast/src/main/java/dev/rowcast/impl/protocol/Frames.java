package dev.rowcast.impl.protocol;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import dev.rowcast.EntityChange;
import dev.rowcast.spi.Position;
import dev.rowcast.spi.StreamId;

/** Builds every server-to-client frame. docs/protocol.md is the specification of their shapes. */
public final class Frames {

    /**
     * The WebSocket sub-protocol a client asks for to receive several queued frames as one {@code frames} message
     * (docs/protocol.md, "Coalesced frames"). A client that asks for none gets every frame as its own message.
     */
    public static final String SUBPROTOCOL_V2 = "rowcast.v2";

    /** The event a subscriber gets for a row it may not see: its position moves, nothing of the row is told. */
    public static final String HIDDEN_EVENT = "{\"type\":\"hidden\"}";

    private Frames() {
    }

    /** The event object of a change, with the given type: its own, or enter/leave for the stream it moved across. */
    public static String event(EntityChange change, EventType type) {
        StringBuilder out = new StringBuilder(256);
        out.append("{\"type\":");
        JsonText.string(out, type.wireName()).append(",\"table\":");
        JsonText.string(out, change.table()).append(",\"primaryKey\":{");
        JsonText.string(out, change.idColumn()).append(':');
        JsonText.value(out, change.id()).append("},\"row\":");
        JsonText.object(out, change.row());
        if (!change.previous().isEmpty()) {
            out.append(",\"changed\":[");
            boolean first = true;
            for (String column : change.changedColumns()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                JsonText.string(out, column);
            }
            out.append("],\"previous\":");
            JsonText.object(out, change.previous());
        }
        return out.append('}').toString();
    }

    public static String change(StreamId stream, Position position, String event) {
        StringBuilder out = new StringBuilder(event.length() + 128);
        out.append("{\"type\":\"change\"");
        stream(out, stream);
        position(out, position).append(",\"event\":").append(event);
        return out.append('}').toString();
    }

    /** A change frame whose event is {@code {"type":"hidden"}}: the position moves, nothing of the row is told. */
    public static String hidden(StreamId stream, Position position) {
        return change(stream, position, HIDDEN_EVENT);
    }

    /** A batched change frame: {@code position} is the last event's, {@code count} says how many came before it. */
    public static String batch(StreamId stream, Position last, List<String> events) {
        int length = 128;
        for (String event : events) {
            length += event.length() + 1;
        }
        StringBuilder out = new StringBuilder(length).append("{\"type\":\"change\"");
        stream(out, stream);
        position(out, last).append(",\"count\":").append(events.size()).append(",\"events\":[");
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(events.get(i));
        }
        return out.append("]}").toString();
    }

    /** The stored frame, marked as replayed. */
    public static String replayed(String frame) {
        return "{\"replayed\":true," + frame.substring(1);
    }

    public static String snapshot(StreamId stream, Position position, Collection<Map<String, Object>> rows) {
        StringBuilder out = new StringBuilder(256 + rows.size() * 128);
        out.append("{\"type\":\"snapshot\"");
        stream(out, stream);
        position(out, position).append(",\"rows\":[");
        boolean first = true;
        for (Map<String, Object> row : rows) {
            if (!first) {
                out.append(',');
            }
            first = false;
            JsonText.object(out, row);
        }
        return out.append("]}").toString();
    }

    /** The reply to a subscribe: the stream as the server names it, and its head. */
    public static String subscribed(JsonValue id, StreamId stream, Position head) {
        StringBuilder out = new StringBuilder(160).append("{\"type\":\"subscribed\"");
        id(out, id);
        stream(out, stream);
        return position(out, head).append('}').toString();
    }

    public static String unsubscribed(JsonValue id, StreamId stream) {
        StringBuilder out = new StringBuilder(128).append("{\"type\":\"unsubscribed\"");
        id(out, id);
        return stream(out, stream).append('}').toString();
    }

    public static String error(ErrorCode code, String message, JsonValue id) {
        StringBuilder out = new StringBuilder(128).append("{\"type\":\"error\"");
        id(out, id).append(",\"code\":\"").append(code.wireName()).append("\",\"message\":");
        return JsonText.string(out, message).append('}').toString();
    }

    /**
     * An unsolicited {@code replay_unavailable}: the server lost changes of a stream the socket follows (overload, a
     * failure), so the stream starts again at {@code head}; a snapshot follows when the channel has one.
     */
    public static String streamReset(StreamId stream, Position head, String message) {
        StringBuilder out = new StringBuilder(256).append("{\"type\":\"error\",\"code\":\"")
                .append(ErrorCode.REPLAY_UNAVAILABLE.wireName()).append("\",\"message\":");
        JsonText.string(out, message);
        stream(out, stream);
        return position(out, head).append('}').toString();
    }

    /**
     * An unsolicited {@code subscription_lost}, with the {@code id} of the subscribe that made the subscription: the
     * server could not keep it (a resync or the subscribe itself failed), so nothing more of the stream follows until
     * the client subscribes again.
     */
    public static String subscriptionLost(JsonValue id, StreamId stream, String message) {
        StringBuilder out = new StringBuilder(256).append("{\"type\":\"error\"");
        id(out, id).append(",\"code\":\"").append(ErrorCode.SUBSCRIPTION_LOST.wireName()).append("\",\"message\":");
        JsonText.string(out, message);
        return stream(out, stream).append('}').toString();
    }

    // --- clients that talk back: presence, broadcasts, proposals ---

    /**
     * One presence entry: the user and the fields the application adds.
     *
     * @param fields already-checked JSON object text, or {@code null} for none
     */
    public static String member(String user, String fields) {
        StringBuilder out = new StringBuilder(64).append("{\"user\":");
        JsonText.string(out, user);
        if (fields != null) {
            out.append(",\"fields\":").append(fields);
        }
        return out.append('}').toString();
    }

    /** A JSON value as frames write it (escaped so it can always be sent): for sizes and for parsing back. */
    public static String json(JsonValue value) {
        return JsonText.json(new StringBuilder(), value).toString();
    }

    /** Plain values (strings, numbers, booleans, null) as one JSON object. */
    public static String object(Map<String, Object> fields) {
        return JsonText.object(new StringBuilder(), fields).toString();
    }

    /** The reply to {@code join}: everyone present, the caller included. */
    public static String presence(JsonValue id, StreamId stream, Collection<String> members) {
        StringBuilder out = new StringBuilder(128 + members.size() * 48).append("{\"type\":\"presence\"");
        id(out, id);
        stream(out, stream).append(",\"members\":[");
        boolean first = true;
        for (String member : members) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append(member);
        }
        return out.append("]}").toString();
    }

    /** Someone's first socket joined the presence. */
    public static String joined(StreamId stream, String member) {
        StringBuilder out = new StringBuilder(128 + member.length()).append("{\"type\":\"joined\"");
        return stream(out, stream).append(",\"member\":").append(member).append('}').toString();
    }

    /** Someone's last socket left; with {@code id}, the reply to the leaving socket's own {@code leave}. */
    public static String left(JsonValue id, StreamId stream, String user) {
        StringBuilder out = new StringBuilder(128).append("{\"type\":\"left\"");
        id(out, id);
        stream(out, stream).append(",\"user\":");
        return JsonText.string(out, user).append('}').toString();
    }

    /** An ephemeral message; {@code from} is stamped by the server, never taken from the client. */
    public static String broadcast(StreamId stream, String event, JsonValue data, String from) {
        StringBuilder out = new StringBuilder(160).append("{\"type\":\"broadcast\"");
        stream(out, stream).append(",\"event\":");
        JsonText.string(out, event).append(",\"data\":");
        JsonText.json(out, data).append(",\"from\":{\"user\":");
        return JsonText.value(out, from).append("}}").toString();
    }

    /** A proposal's result: the handler's return value, after the changes its transaction caused. */
    public static String proposed(JsonValue id, JsonValue value) {
        StringBuilder out = new StringBuilder(64).append("{\"type\":\"proposed\"");
        id(out, id).append(",\"value\":");
        return JsonText.json(out, value).append('}').toString();
    }

    /** A refused proposal, with the application's reason code. */
    public static String refused(JsonValue id, String reason, String message) {
        StringBuilder out = new StringBuilder(128).append("{\"type\":\"error\"");
        id(out, id).append(",\"code\":\"").append(ErrorCode.PROPOSAL_REFUSED.wireName()).append("\",\"reason\":");
        JsonText.string(out, reason).append(",\"message\":");
        return JsonText.string(out, message).append('}').toString();
    }

    /** An invalid proposal, with each violation: {@code path} to {@code message}. */
    public static String invalid(JsonValue id, String message, List<Map.Entry<String, String>> violations) {
        StringBuilder out = new StringBuilder(128).append("{\"type\":\"error\"");
        id(out, id).append(",\"code\":\"").append(ErrorCode.INVALID_PROPOSAL.wireName()).append("\",\"message\":");
        JsonText.string(out, message).append(",\"violations\":[");
        boolean first = true;
        for (Map.Entry<String, String> violation : violations) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append("{\"path\":");
            JsonText.string(out, violation.getKey()).append(",\"message\":");
            JsonText.string(out, violation.getValue()).append('}');
        }
        return out.append("]}").toString();
    }

    public static String pong(JsonValue id) {
        return id(new StringBuilder(32).append("{\"type\":\"pong\""), id).append('}').toString();
    }

    private static StringBuilder stream(StringBuilder out, StreamId stream) {
        out.append(",\"channel\":");
        JsonText.string(out, stream.channel()).append(",\"scope\":{\"col\":");
        JsonText.string(out, stream.column()).append(",\"value\":");
        return JsonText.value(out, stream.value()).append('}');
    }

    private static StringBuilder position(StringBuilder out, Position position) {
        out.append(",\"position\":{\"epoch\":");
        JsonText.string(out, position.epoch()).append(",\"seq\":").append(position.seq());
        return out.append('}');
    }

    /**
     * Echoes the client's id, already checked to be a string or a number. A string goes through {@link JsonText}:
     * JSON-P writes a lone surrogate as it is, which cannot be sent.
     */
    private static StringBuilder id(StringBuilder out, JsonValue id) {
        if (id == null) {
            return out;
        }
        out.append(",\"id\":");
        return id instanceof JsonString text ? JsonText.string(out, text.getString()) : out.append(id);
    }
}
