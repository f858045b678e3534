package dev.rowcast.impl.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.StringJoiner;

/**
 * One server-to-client frame's text, and, made once for every socket that sends it as a message of its own, its bytes
 * as a WebSocket message on the wire (RFC 6455, section 5.2: one final text frame, unmasked as a server's must be).
 * The dispatcher builds a frame once per event and verdict and hands the same object to every subscriber who gets it,
 * so the UTF-8 encoding and framing are paid once per frame, not once per socket.
 * <p>
 * Thread-safe: {@link #wire()} may run on several sender threads at once, and each then computes the same bytes.
 */
public final class OutboundFrame {

    private static final byte FIN_TEXT = (byte) 0x81;
    private static final int MAX_7_BIT = 125;
    private static final int MAX_16_BIT = 0xFFFF;

    private static final String BATCH_START = "{\"type\":\"frames\",\"frames\":[";
    private static final String BATCH_END = "]}";
    private static final byte[] BATCH_START_BYTES = BATCH_START.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BATCH_END_BYTES = BATCH_END.getBytes(StandardCharsets.US_ASCII);
    /** The characters a {@code frames} message adds to its frames, besides one comma between two. */
    public static final int BATCH_OVERHEAD = BATCH_START.length() + BATCH_END.length();

    private volatile String text;
    private volatile byte[] wire;
    /** For a {@code frames} message: its frames, until its text or bytes are made. */
    private final List<OutboundFrame> parts;
    private final int length;

    private OutboundFrame(String text, List<OutboundFrame> parts, int length) {
        this.text = text;
        this.parts = parts;
        this.length = length;
    }

    public static OutboundFrame of(String text) {
        return new OutboundFrame(text, null, text.length());
    }

    /**
     * Several frames as one {@code frames} message (docs/protocol.md, "Coalesced frames"). Its text or its bytes are
     * made only when asked for: a pre-framed socket copies the frames' encoded payloads into one WebSocket message,
     * without building the text or encoding anything again.
     *
     * @param frames at least one; the list becomes the message's, and must not change afterwards
     */
    public static OutboundFrame batch(List<OutboundFrame> frames) {
        int length = BATCH_OVERHEAD + frames.size() - 1;
        for (OutboundFrame frame : frames) {
            length += frame.length;
        }
        return new OutboundFrame(null, frames, length);
    }

    public String text() {
        String made = text;
        if (made == null) {
            StringJoiner batch = new StringJoiner(",", BATCH_START, BATCH_END); // one array of its final length
            parts.forEach(part -> batch.add(part.text()));
            made = batch.toString();
            text = made;
        }
        return made;
    }

    /** The text's length in chars: what the outbound bound counts (the ASCII bulk of JSON is one byte a char). */
    public int length() {
        return length;
    }

    /** The whole WebSocket message: header and UTF-8 payload. Callers must not change the array. */
    public byte[] wire() {
        byte[] bytes = wire;
        if (bytes == null) {
            bytes = parts != null && text == null ? joinWire(parts) : encode(text);
            wire = bytes;
        }
        return bytes;
    }

    /** A {@code frames} message from its frames' own encoded payloads (each frame's bytes after its header). */
    private static byte[] joinWire(List<OutboundFrame> parts) {
        int payload = BATCH_START_BYTES.length + BATCH_END_BYTES.length + parts.size() - 1;
        for (OutboundFrame part : parts) {
            byte[] bytes = part.wire();
            payload += bytes.length - headerLength(bytes);
        }
        int header = headerFor(payload);
        byte[] frame = new byte[header + payload];
        writeHeader(frame, payload, header);
        int at = header;
        System.arraycopy(BATCH_START_BYTES, 0, frame, at, BATCH_START_BYTES.length);
        at += BATCH_START_BYTES.length;
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                frame[at++] = ',';
            }
            byte[] bytes = parts.get(i).wire();
            int skip = headerLength(bytes);
            System.arraycopy(bytes, skip, frame, at, bytes.length - skip);
            at += bytes.length - skip;
        }
        System.arraycopy(BATCH_END_BYTES, 0, frame, at, BATCH_END_BYTES.length);
        return frame;
    }

    /** The header's length of a frame made by {@link #encode}, from its second byte. */
    private static int headerLength(byte[] frame) {
        int lengthCode = frame[1] & 0x7F;
        return lengthCode <= MAX_7_BIT ? 2 : lengthCode == 126 ? 4 : 10;
    }

    /**
     * A text as one final, unmasked WebSocket text frame. Rowcast's frames hold no lone surrogate (JSON text escapes
     * them, docs/protocol.md), so the UTF-8 encoding is exact; should one slip through, it is written as {@code ?}
     * rather than failing the send (the container's strict encoder threw an Error there).
     */
    static byte[] encode(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        int length = payload.length;
        int header = headerFor(length);
        byte[] frame = new byte[header + length];
        writeHeader(frame, length, header);
        System.arraycopy(payload, 0, frame, header, length);
        return frame;
    }

    private static int headerFor(int payload) {
        return payload <= MAX_7_BIT ? 2 : payload <= MAX_16_BIT ? 4 : 10;
    }

    private static void writeHeader(byte[] frame, int length, int header) {
        frame[0] = FIN_TEXT;
        if (header == 2) {
            frame[1] = (byte) length;
        } else if (header == 4) {
            frame[1] = 126;
            frame[2] = (byte) (length >>> 8);
            frame[3] = (byte) length;
        } else {
            frame[1] = 127;
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) ((long) length >>> (56 - 8 * i));
            }
        }
    }

    @Override
    public String toString() {
        return text();
    }
}
