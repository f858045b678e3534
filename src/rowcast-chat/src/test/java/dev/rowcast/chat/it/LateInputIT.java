package dev.rowcast.chat.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
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
 * What a client sends after its socket closed ({@code rowcast.container.dropInputAfterClose}, {@code LateInputGuard};
 * docs/architecture.md, "Platform notes"). Payara ends the handshake's HTTP request as soon as the socket closes, but
 * its HTTP codec keeps the handshake's request packet for the TCP connection until the connection is gone, which waits
 * until the client has read what the server still has to send. Bytes read meanwhile were served as a second request
 * made of the recycled handshake packet: a second HTTP response on the closed socket, NullPointerExceptions in Payara's
 * request handling, and now and then, when the recycled objects reached another connection, a handshake that was never
 * answered (the one violation of the million-frame fuzz run). Each round here stalls what the server sends (a small
 * receive window and pings the server must answer with pongs, none read), breaks the protocol so the server closes,
 * then sends one more frame; then it reads everything. On its own Payara process, whose log the test reads.
 */
class LateInputIT {

    private static final int ROUNDS = 6;
    private static final int HANDSHAKES = 8;
    /** Pongs of 125 bytes the client does not read: more than loopback's buffers hold, so the server's writes wait. */
    private static final int PINGS = 40_000;

    @Test
    void should_drop_what_a_client_sends_after_its_socket_closed() throws Exception {
        try (PayaraProcess payara = PayaraProcess.deploy(Deployments.chatWarForLateInput(true))) {
            URL base = payara.base();
            for (int round = 0; round < ROUNDS; round++) {
                String after = closeThenSend(base);
                assertFalse(after.contains("HTTP/1.1 "), "round " + round + ": the server answered input sent after "
                        + "the socket closed as a new HTTP request: " + clip(after));
                assertHandshakesAnswered(base);
            }
            String log = payara.log();
            assertFalse(log.contains("NullPointerException"), "the container failed on a request:\n" + tail(log));
            assertFalse(log.contains("GRIZZLY0013"), "the container's filter chain failed:\n" + tail(log));
            assertFalse(log.contains("ROWCAST-064"), "the guard did not apply:\n" + tail(log));
        }
    }

    /** The same rounds with the guard off: Payara serves the late frame as a request, so the test above can fail. */
    @Test
    void without_the_guard_payara_serves_input_after_close_as_a_new_request() throws Exception {
        try (PayaraProcess payara = PayaraProcess.deploy(Deployments.chatWarForLateInput(false))) {
            URL base = payara.base();
            List<String> served = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                String after = closeThenSend(base);
                if (after.contains("HTTP/1.1 ")) {
                    served.add(clip(after));
                }
            }
            assertTrue(served.size() == ROUNDS, "input after close should have been served as a request in every "
                    + "round (else this test no longer shows the container's fault); served in " + served.size()
                    + " of " + ROUNDS + ": " + served);
        }
    }

    /**
     * One round: upgrade with a small receive window, send pings without reading the pongs, then a frame with RSV bits
     * (close 1002), then a ping message; returns what the server sent after its upgrade response, read to the end.
     */
    private static String closeThenSend(URL base) throws Exception {
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", base.getPort()), 10_000);
            OutputStream out = socket.getOutputStream();
            out.write(handshake(base, "bob"));
            String status = head(socket, 10_000);
            assertTrue(status != null && status.startsWith("HTTP/1.1 101"), "upgrade: " + status);
            ByteArrayOutputStream pings = new ByteArrayOutputStream();
            for (int i = 0; i < 1_000; i++) {
                pings.writeBytes(frame(0x89, new byte[125]));
            }
            byte[] chunk = pings.toByteArray();
            for (int i = 0; i < PINGS / 1_000; i++) {
                out.write(chunk);
            }
            Thread.sleep(300); // the server has read them, and its pongs wait
            out.write(frame(0xF1, "x".getBytes(StandardCharsets.US_ASCII))); // RSV bits: the server closes (1002)
            Thread.sleep(300); // the socket closed; its TCP connection waits for the pongs to go out
            out.write(frame(0x81, "{\"type\":\"ping\",\"id\":1}".getBytes(StandardCharsets.UTF_8)));
            Thread.sleep(500);
            return readToEnd(socket);
        }
    }

    /** Fresh handshakes, several at once: each must get its upgrade response. */
    private static void assertHandshakesAnswered(URL base) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < HANDSHAKES; i++) {
                answers.add(pool.submit(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress("127.0.0.1", base.getPort()), 10_000);
                        socket.getOutputStream().write(handshake(base, "alice"));
                        String status = head(socket, 10_000);
                        socket.getOutputStream().write(frame(0x88, new byte[] { 0x03, (byte) 0xE8 }));
                        return status;
                    }
                }));
            }
            for (Future<String> answer : answers) {
                String status = answer.get();
                assertTrue(status != null && status.startsWith("HTTP/1.1 101"),
                        "a handshake after a late input round got " + (status == null ? "no answer in 10 s" : status));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] handshake(URL base, String user) {
        return ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + base.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Authorization: " + ChatApi.basic(user, user) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A masked client frame (mask 0: the payload goes as it is). */
    private static byte[] frame(int first, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(first);
        frame.write(0x80 | payload.length); // under 126
        frame.writeBytes(new byte[4]);
        frame.writeBytes(payload);
        return frame.toByteArray();
    }

    /** The response head, or null if none came in time. */
    private static String head(Socket socket, int millis) throws IOException {
        socket.setSoTimeout(millis);
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        try {
            while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return head.length() == 0 ? "(closed)" : head.toString();
                }
                head.append((char) b);
            }
        } catch (SocketTimeoutException e) {
            return null;
        }
        return head.toString();
    }

    /** Everything until the server closes the connection (or 10 s of silence), as ISO-8859-1 text. */
    private static String readToEnd(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[65536];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                all.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // the server kept the connection open: what came is what it sent
        } catch (IOException e) {
            // reset: what came is what it sent
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    private static String clip(String sent) {
        int at = sent.indexOf("HTTP/1.1 ");
        return at < 0 ? "(" + sent.length() + " bytes, no HTTP response)"
                : sent.substring(at, Math.min(sent.length(), at + 300)).replace("\r\n", " | ");
    }

    private static String tail(String log) {
        return log.substring(Math.max(0, log.length() - 6000));
    }
}
