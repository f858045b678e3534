package dev.rowcast.impl.protocol;

import java.nio.charset.StandardCharsets;

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

    private final String text;
    private volatile byte[] wire;

    private OutboundFrame(String text) {
        this.text = text;
    }

    public static OutboundFrame of(String text) {
        return new OutboundFrame(text);
    }

    public String text() {
        return text;
    }

    /** The text's length in chars: what the outbound bound counts (the ASCII bulk of JSON is one byte a char). */
    public int length() {
        return text.length();
    }

    /** The whole WebSocket message: header and UTF-8 payload. Callers must not change the array. */
    public byte[] wire() {
        byte[] bytes = wire;
        if (bytes == null) {
            bytes = encode(text);
            wire = bytes;
        }
        return bytes;
    }

    /**
     * A text as one final, unmasked WebSocket text frame. Rowcast's frames hold no lone surrogate (JSON text escapes
     * them, docs/protocol.md), so the UTF-8 encoding is exact.
     */
    static byte[] encode(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        int length = payload.length;
        int header = length <= MAX_7_BIT ? 2 : length <= MAX_16_BIT ? 4 : 10;
        byte[] frame = new byte[header + length];
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
        System.arraycopy(payload, 0, frame, header, length);
        return frame;
    }

    @Override
    public String toString() {
        return text;
    }
}
