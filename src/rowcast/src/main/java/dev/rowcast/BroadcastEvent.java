package dev.rowcast;

import java.util.Objects;

import jakarta.json.JsonValue;

import dev.rowcast.spi.StreamId;
import dev.rowcast.spi.Viewer;

/**
 * A broadcast about to be sent, fired as a synchronous CDI event after every
 * {@link dev.rowcast.spi.BroadcastPolicy} let it pass and before it is throttled. An observer may
 * {@linkplain #veto() veto} it or {@linkplain #data(JsonValue) replace} its data:
 *
 * <pre>{@code
 * void typing(@Observes BroadcastEvent broadcast) {
 *     if (broadcast.event().equals("cursor") && muted.contains(broadcast.sender().principal().getName())) {
 *         broadcast.veto();
 *     }
 * }
 * }</pre>
 *
 * Observers run on Rowcast's talk thread, one after another in {@code @Priority} order, each seeing what the one
 * before left. An observer that throws drops the broadcast (it is logged; later broadcasts go on). docs/talk.md,
 * "Broadcasts".
 */
public final class BroadcastEvent {

    private final Viewer sender;
    private final StreamId stream;
    private final String event;
    private JsonValue data;
    private boolean vetoed;

    /** Made by Rowcast for each broadcast. */
    public BroadcastEvent(Viewer sender, StreamId stream, String event, JsonValue data) {
        this.sender = Objects.requireNonNull(sender, "sender");
        this.stream = Objects.requireNonNull(stream, "stream");
        this.event = Objects.requireNonNull(event, "event");
        this.data = Objects.requireNonNull(data, "data");
    }

    /** Who sent it, as the handshake authenticated them; the frame's {@code from} is taken from here. */
    public Viewer sender() {
        return sender;
    }

    public StreamId stream() {
        return stream;
    }

    /** The client's event name, such as {@code typing}. */
    public String event() {
        return event;
    }

    /** The data to send: the client's, the policies' result, or an earlier observer's replacement. */
    public JsonValue data() {
        return data;
    }

    /** Sends {@code replacement} instead; {@code null} vetoes. */
    public void data(JsonValue replacement) {
        if (replacement == null) {
            veto();
        } else {
            data = replacement;
        }
    }

    /** Drops the broadcast: nobody receives it, and a sender that gave an {@code id} gets {@code forbidden}. */
    public void veto() {
        vetoed = true;
    }

    public boolean vetoed() {
        return vetoed;
    }

    @Override
    public String toString() {
        return "BroadcastEvent[" + event + " on " + stream + " from " + sender + (vetoed ? ", vetoed]" : "]");
    }
}
