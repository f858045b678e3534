package dev.rowcast.chat.it.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;

import dev.rowcast.chat.it.support.ChatApi;

/**
 * A WebSocket client over a plain socket that writes any frame, valid or not (any opcode, RSV bits, masking, length,
 * payload), buffers its writes, and reads without ever losing its place on a timeout. It answers the server's pings
 * as RFC 6455 requires, so the server's acknowledgement window keeps moving.
 */
final class FuzzSocket implements AutoCloseable {

    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CONTINUATION = 0x0;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;
    static final int FIN = 0x80;

    /** A frame from the server, continuation frames already joined. {@code code} is set for close frames. */
    record Frame(int opcode, byte[] payload) {

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }
    }

    /** The connection ended without a close frame from the server (RFC 6455's 1006). */
    static final class Dropped extends IOException {
        Dropped(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(8192);
    private final Random maskRandom;
    private byte[] buffer = new byte[16384];
    private int start;
    private int end;
    private ByteArrayOutputStream fragments;
    private int fragmentOpcode;

    private FuzzSocket(Socket socket, Random maskRandom) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.maskRandom = maskRandom;
    }

    /** Opens a socket to {@code /ws} on loopback and upgrades it with HTTP BASIC as a demo user. */
    static FuzzSocket connect(int port, String user, Random random) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        FuzzSocket client = new FuzzSocket(socket, random);
        byte[] key = new byte[16];
        random.nextBytes(key);
        String request = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\nAuthorization: " + ChatApi.basic(user, user) + "\r\n\r\n";
        client.out.write(request.getBytes(StandardCharsets.US_ASCII));
        client.out.flush();
        String status = client.readHeaders(System.nanoTime() + 10_000_000_000L);
        if (!status.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("upgrade refused: " + status.lines().findFirst().orElse(status));
        }
        return client;
    }

    private String readHeaders(long deadline) throws IOException {
        while (true) {
            for (int i = start; i + 3 < end; i++) {
                if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') {
                    String head = new String(buffer, start, i - start, StandardCharsets.ISO_8859_1);
                    start = i + 4;
                    return head;
                }
            }
            if (!fill(deadline)) {
                throw new SocketTimeoutException("no upgrade response");
            }
        }
    }

    /** Queues a frame; nothing is written until {@link #flush()}. */
    void frame(int firstByte, byte[] payload, boolean masked) {
        frame(firstByte, payload, 0, payload.length, masked);
    }

    void frame(int firstByte, byte[] payload, int offset, int length, boolean masked) {
        pending.write(firstByte);
        int maskBit = masked ? 0x80 : 0;
        if (length < 126) {
            pending.write(maskBit | length);
        } else if (length <= 0xFFFF) {
            pending.write(maskBit | 126);
            pending.write(length >>> 8);
            pending.write(length & 0xFF);
        } else {
            pending.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                pending.write((int) (((long) length >>> shift) & 0xFF));
            }
        }
        if (!masked) {
            pending.write(payload, offset, length);
            return;
        }
        byte[] mask = new byte[4];
        maskRandom.nextBytes(mask);
        pending.writeBytes(mask);
        byte[] masked4 = new byte[length];
        for (int i = 0; i < length; i++) {
            masked4[i] = (byte) (payload[offset + i] ^ mask[i & 3]);
        }
        pending.writeBytes(masked4);
    }

    /** Queues bytes as they are: a frame header cut short, or anything else. */
    void raw(byte[] bytes) {
        pending.writeBytes(bytes);
    }

    void text(String text) {
        frame(FIN | TEXT, text.getBytes(StandardCharsets.UTF_8), true);
    }

    void flush() throws IOException {
        if (pending.size() > 0) {
            pending.writeTo(out);
            pending.reset();
            out.flush();
        }
    }

    /** Bytes queued and not yet written. */
    int pendingBytes() {
        return pending.size();
    }

    /**
     * The next complete data or close frame, answering pings on the way; null if none came before the deadline.
     *
     * @throws Dropped when the connection ended without a close frame
     */
    Frame read(long deadlineNanos) throws IOException {
        while (true) {
            Frame frame = parse();
            if (frame != null) {
                if (frame.opcode() == PING) {
                    frame(FIN | PONG, frame.payload(), true);
                    flush();
                    continue;
                }
                if (frame.opcode() == CONTINUATION || frame.opcode() == -1) {
                    continue; // a fragment was joined; go on
                }
                return frame;
            }
            if (!fill(deadlineNanos)) {
                return null;
            }
        }
    }

    /** Reads more bytes; false on timeout. */
    private boolean fill(long deadlineNanos) throws IOException {
        long remaining = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (remaining <= 0) {
            return false;
        }
        if (start > 0 && start == end) {
            start = 0;
            end = 0;
        }
        if (end == buffer.length) {
            if (start > 0) {
                System.arraycopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            } else {
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
            }
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, remaining)));
        int n;
        try {
            n = in.read(buffer, end, buffer.length - end);
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            throw new Dropped("connection failed: " + e.getMessage(), e);
        }
        if (n < 0) {
            throw new Dropped("connection closed without a close frame", null);
        }
        end += n;
        return true;
    }

    /** One frame from the buffer, or null if it is not complete yet. Opcode -1: a fragment was joined. */
    private Frame parse() throws IOException {
        int available = end - start;
        if (available < 2) {
            return null;
        }
        int first = buffer[start] & 0xFF;
        int second = buffer[start + 1] & 0xFF;
        int header = 2;
        long length = second & 0x7F;
        if (length == 126) {
            if (available < 4) {
                return null;
            }
            length = ((buffer[start + 2] & 0xFF) << 8) | (buffer[start + 3] & 0xFF);
            header = 4;
        } else if (length == 127) {
            if (available < 10) {
                return null;
            }
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | (buffer[start + 2 + i] & 0xFF);
            }
            header = 10;
        }
        if ((second & 0x80) != 0 || length > 64L * 1024 * 1024) {
            throw new IOException("the server sent a masked or absurd frame: " + first + "/" + second + "/" + length);
        }
        if (available < header + length) {
            if (buffer.length < header + length) {
                buffer = Arrays.copyOf(buffer, (int) Math.max(buffer.length * 2L, header + length));
            }
            return null;
        }
        byte[] payload = Arrays.copyOfRange(buffer, start + header, start + header + (int) length);
        start += header + (int) length;
        int opcode = first & 0x0F;
        boolean fin = (first & 0x80) != 0;
        if (opcode >= 0x8) {
            return new Frame(opcode, payload);
        }
        if (opcode != CONTINUATION && fin) {
            return new Frame(opcode, payload);
        }
        if (opcode != CONTINUATION) {
            fragments = new ByteArrayOutputStream();
            fragmentOpcode = opcode;
        } else if (fragments == null) {
            throw new IOException("the server sent a continuation frame without a start");
        }
        fragments.writeBytes(payload);
        if (!fin) {
            return new Frame(-1, payload);
        }
        Frame joined = new Frame(fragmentOpcode, fragments.toByteArray());
        fragments = null;
        return joined;
    }

    /** An abrupt end: RST, no close frame, whatever was queued is lost. */
    void reset() {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    /** Ends the TCP connection with a FIN, without a close frame. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }
}
