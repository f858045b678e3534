package dev.rowcast.chat.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.rowcast.chat.it.support.ChatApi;
import dev.rowcast.chat.it.support.Deployments;
import dev.rowcast.chat.it.support.PayaraProcess;

/**
 * What a client sends after the server closed its socket ({@code rowcast.container.dropInputAfterClose},
 * {@code LateInputGuard}; docs/architecture.md, "Platform notes"). When Rowcast closes a socket from one of its own
 * threads (here the 4401 of an expired credential, as for a heartbeat timeout or a rate limit), Payara ends the
 * handshake's HTTP request at once, but its HTTP codec still takes the connection's next bytes for that request; a
 * client that answers the close frame at once (as RFC 6455 asks) could have its close frame read just then, and served
 * as a second HTTP request made of the handshake's recycled objects: NullPointerExceptions in Payara's request
 * handling, and, when the recycled objects reached another connection, a handshake never answered (the one violation
 * of the million-frame fuzz run). A race, so many sockets at once, several rounds; without the guard about one socket
 * in thirty met it here. Each socket must be upgraded in time, closed with 4401, get nothing after the close frame,
 * and the server's log (its own Payara process) must hold no such exception. With the guard off
 * (WorkaroundsOffIT checks sockets then), this test fails on those exceptions.
 */
class LateInputIT {

    private static final int SOCKETS = 40;
    private static final int ROUNDS = 5;

    @Test
    void should_drop_what_a_client_sends_after_the_server_closed_its_socket() throws Exception {
        try (PayaraProcess payara = PayaraProcess.deploy(Deployments.chatWarForLateInput(true))) {
            List<String> problems = rounds(payara.base());
            assertTrue(problems.isEmpty(), problems.size() + " of " + SOCKETS * ROUNDS + " sockets went wrong: "
                    + problems.subList(0, Math.min(10, problems.size())));
            String log = payara.log();
            assertFalse(log.contains("NullPointerException"), "the container failed on a request:\n" + tail(log));
            assertFalse(log.contains("GRIZZLY0013"), "the container's filter chain failed:\n" + tail(log));
            assertFalse(log.contains("ROWCAST-064"), "the guard did not apply:\n" + tail(log));
        }
    }

    /** Runs the rounds; returns what went wrong, one line per socket. */
    private static List<String> rounds(URL base) throws Exception {
        List<String> problems = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(SOCKETS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                List<Future<String>> sockets = new ArrayList<>();
                for (int i = 0; i < SOCKETS; i++) {
                    String user = i % 2 == 0 ? "alice" : "bob";
                    sockets.add(pool.submit(() -> expire(base, user)));
                }
                for (Future<String> socket : sockets) {
                    String problem = socket.get();
                    if (problem != null) {
                        problems.add("round " + round + ": " + problem);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return problems;
    }

    /**
     * One socket: upgrade, one message (so the upgrade request is released, as for any socket that talks), wait for the
     * server's close, answer it at once with a close frame and one more message, then read to the end.
     *
     * @return what went wrong, or null
     */
    private static String expire(URL base, String user) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", base.getPort()), 10_000);
            OutputStream out = socket.getOutputStream();
            out.write(handshake(base, user));
            String status = head(socket);
            if (status == null || !status.startsWith("HTTP/1.1 101")) {
                return "handshake: " + (status == null ? "no answer within 10 s" : status.lines().findFirst().orElse(""));
            }
            out.write(frame(0x81, "{\"type\":\"ping\",\"id\":1}".getBytes(StandardCharsets.UTF_8)));
            socket.setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int code;
            try {
                code = awaitClose(in);
            } catch (IOException e) {
                return "no close frame: " + e;
            }
            byte[] echo = { (byte) (code >> 8), (byte) code };
            ByteArrayOutputStream late = new ByteArrayOutputStream();
            late.writeBytes(frame(0x88, echo));
            late.writeBytes(frame(0x81, "{\"type\":\"ping\",\"id\":2}".getBytes(StandardCharsets.UTF_8)));
            try {
                out.write(late.toByteArray());
            } catch (IOException e) {
                // the server had closed the connection already: nothing was late
            }
            String after = readToEnd(in);
            if (after.contains("HTTP/1.1 ")) {
                return "served as a new request after the close: "
                        + after.substring(after.indexOf("HTTP/1.1 "), Math.min(after.length(),
                                after.indexOf("HTTP/1.1 ") + 120)).replace("\r\n", " | ");
            }
            return code == 4401 ? null : "closed with " + code + ", not 4401";
        }
    }

    /** Reads frames until the server's close frame; its code. */
    private static int awaitClose(DataInputStream in) throws IOException {
        while (true) {
            int first = in.readUnsignedByte();
            int length = in.readUnsignedByte() & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = (int) in.readLong();
            }
            byte[] payload = new byte[length];
            in.readFully(payload);
            if ((first & 0x0F) == 0x8) {
                return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
            }
        }
    }

    private static byte[] handshake(URL base, String user) {
        return ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + base.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Authorization: " + ChatApi.basic(user, user) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A masked client frame under 126 bytes (mask 0: the payload goes as it is). */
    private static byte[] frame(int first, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(first);
        frame.write(0x80 | payload.length);
        frame.writeBytes(new byte[4]);
        frame.writeBytes(payload);
        return frame.toByteArray();
    }

    /** The upgrade response's head, or null if none came within 10 s. */
    private static String head(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        try {
            while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return head.length() == 0 ? "(connection closed)" : head.toString();
                }
                head.append((char) b);
            }
        } catch (SocketTimeoutException e) {
            return null;
        }
        return head.toString();
    }

    /** Everything until the server closes the connection (or 10 s of silence), as ISO-8859-1 text. */
    private static String readToEnd(InputStream in) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                all.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // a reset or 10 s of silence: what came is what it sent
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    private static String tail(String log) {
        return log.substring(Math.max(0, log.length() - 8000));
    }
}
