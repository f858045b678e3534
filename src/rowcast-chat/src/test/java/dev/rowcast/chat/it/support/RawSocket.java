package dev.rowcast.chat.it.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A WebSocket client written by hand over a plain socket, to behave in ways a real client library refuses to: it
 * never answers pings, sends any frame unfragmented whatever its size, and sends unsolicited pongs.
 */
public final class RawSocket implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private String handshake = "";

    private RawSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Opens and upgrades a socket to the endpoint as the given demo user. */
    public static RawSocket connect(URL base, String user) throws IOException {
        return connect(base, user, 0);
    }

    /** @param receiveBuffer a small receive buffer makes a client that stops reading stall the server sooner */
    public static RawSocket connect(URL base, String user, int receiveBuffer) throws IOException {
        return connect(base, user, receiveBuffer, null);
    }

    /** @param subprotocol asked for in {@code Sec-WebSocket-Protocol}; {@code null} for none */
    public static RawSocket connect(URL base, String user, int receiveBuffer, String subprotocol)
            throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", base.getPort()), 10_000);
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        String request = "GET /ws HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + base.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + (subprotocol == null ? "" : "Sec-WebSocket-Protocol: " + subprotocol + "\r\n")
                + "Authorization: " + ChatApi.basic(user, user) + "\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        RawSocket raw = new RawSocket(socket);
        String status = raw.readHeaders();
        if (!status.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("upgrade refused: " + status);
        }
        raw.handshake = status;
        return raw;
    }

    /** The server's answer to the upgrade: status line and headers. */
    public String handshake() {
        return handshake;
    }

    /**
     * The next text frame's payload, answering every ping on the way with its pong, as a browser does; the server
     * then goes on sending what it held back for want of an acknowledgement.
     */
    public String readTextAnsweringPings() throws IOException {
        while (true) {
            int first = in.readUnsignedByte();
            byte[] payload = payload();
            if ((first & 0x0F) == 0x9) {
                sendPong(payload);
            } else if ((first & 0x0F) == 0x1) {
                return new String(payload, StandardCharsets.UTF_8);
            } else if ((first & 0x0F) == 0x8) {
                throw new IOException("closed by the server with " + (payload.length >= 2
                        ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005));
            }
        }
    }

    private String readHeaders() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            head.write(in.readUnsignedByte());
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** Sends a masked text frame, as clients must: one frame, final, however long (browsers do the same). */
    public void sendText(String text) throws IOException {
        sendFrame(0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    public void sendBinary(byte[] payload) throws IOException {
        sendFrame(0x2, payload);
    }

    /** A pong nobody asked for, or one echoing a ping's payload. */
    public void sendPong(byte[] payload) throws IOException {
        sendFrame(0xA, payload);
    }

    /** One final, masked frame with the given opcode, written in one call. */
    public void sendFrame(int opcode, byte[] payload) throws IOException {
        socket.getOutputStream().write(frame(opcode, payload));
        socket.getOutputStream().flush();
    }

    /** One text message sent as {@code parts} fragments (text, then continuations, the last one final). */
    public void sendFragmentedText(String text, int parts) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        int size = (payload.length + parts - 1) / parts;
        for (int i = 0; i < parts; i++) {
            byte[] part = java.util.Arrays.copyOfRange(payload, i * size, Math.min(payload.length, (i + 1) * size));
            byte[] frame = frame(i == 0 ? 0x1 : 0x0, part);
            if (i < parts - 1) {
                frame[0] &= 0x7F; // not final
            }
            burst.write(frame);
        }
        socket.getOutputStream().write(burst.toByteArray());
        socket.getOutputStream().flush();
    }

    /** Text frames written in one call, as a client's socket coalesces a burst of sends. */
    public void sendTexts(List<String> texts) throws IOException {
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        for (String text : texts) {
            burst.write(frame(0x1, text.getBytes(StandardCharsets.UTF_8)));
        }
        socket.getOutputStream().write(burst.toByteArray());
        socket.getOutputStream().flush();
    }

    private static byte[] frame(int opcode, byte[] payload) {
        int header = payload.length < 126 ? 6 : payload.length < 65_536 ? 8 : 14;
        byte[] frame = new byte[header + payload.length];
        frame[0] = (byte) (0x80 | opcode);
        if (payload.length < 126) {
            frame[1] = (byte) (0x80 | payload.length);
        } else if (payload.length < 65_536) {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (payload.length >> 8);
            frame[3] = (byte) payload.length;
        } else {
            frame[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) ((long) payload.length >> (56 - 8 * i));
            }
        }
        byte[] mask = { 1, 2, 3, 4 };
        System.arraycopy(mask, 0, frame, header - 4, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[header + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }

    /** The next text frame's payload. */
    public String readText() throws IOException {
        while (true) {
            int first = in.readUnsignedByte();
            byte[] payload = payload();
            if ((first & 0x0F) == 0x1) {
                return new String(payload, StandardCharsets.UTF_8);
            }
        }
    }

    private byte[] payload() throws IOException {
        int second = in.readUnsignedByte();
        long length = second & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return payload;
    }

    /** What came before the connection ended: every text frame, and the close code (1006 without a close frame). */
    public record Received(List<String> texts, int code) {

        /** How many text frames contain the given fragment. */
        public long count(String fragment) {
            return texts.stream().filter(text -> text.contains(fragment)).count();
        }
    }

    /** Reads every frame until the connection ends; a reset connection counts as 1006, like a missing close frame. */
    public Received readUntilClosed() throws IOException {
        List<String> texts = new ArrayList<>();
        while (true) {
            int first;
            byte[] payload;
            try {
                first = in.readUnsignedByte();
                payload = payload();
            } catch (java.io.EOFException | java.net.SocketException e) {
                return new Received(texts, 1006);
            }
            if ((first & 0x0F) == 0x8) {
                return new Received(texts, payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF)
                        : 1005);
            }
            if ((first & 0x0F) == 0x1) {
                texts.add(new String(payload, StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * Reads frames, ignoring pings, until a close frame, and returns its code; 1006 (abnormal closure) when the
     * server ends the connection without one. A server that keeps the connection open fails this with a timeout.
     */
    public int awaitCloseCode() throws IOException {
        return awaitClose().code();
    }

    /** How a connection ended: the close code, and the text payload bytes read before it since the last call. */
    public record Ending(int code, long textBytes) {
    }

    /** As {@link #awaitCloseCode()}, also counting the text bytes that came before the close. */
    public Ending awaitClose() throws IOException {
        long textBytes = 0;
        while (true) {
            int first;
            try {
                first = in.readUnsignedByte();
            } catch (java.io.EOFException e) {
                return new Ending(1006, textBytes);
            }
            byte[] payload = payload();
            if ((first & 0x0F) == 0x8) {
                return new Ending(payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005,
                        textBytes);
            }
            if ((first & 0x0F) == 0x1 || (first & 0x0F) == 0x0) {
                textBytes += payload.length;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
