package dev.rowcast.impl.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class OutboundFrameTest {

    /** Payload lengths at every boundary of RFC 6455's three length encodings. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 127, 65_535, 65_536, 70_000, 1 << 20})
    void should_frame_any_length_as_one_final_unmasked_text_frame(int bytes) {
        String text = "x".repeat(bytes);
        assertEquals(text, decode(OutboundFrame.of(text).wire()));
    }

    @Test
    void should_count_the_length_in_utf8_bytes_not_chars() {
        // 63 two-byte chars: 126 bytes, past the 7-bit length that 63 chars would fit
        String accents = "é".repeat(63);
        byte[] wire = OutboundFrame.of(accents).wire();
        assertEquals(126, wire[1]);
        assertEquals(accents, decode(wire));
        String mixed = "{\"body\":\"Grüße 😀 日本\"}".repeat(5_000);
        assertEquals(mixed, decode(OutboundFrame.of(mixed).wire()));
    }

    @Test
    void should_write_a_lone_surrogate_that_slipped_through_as_a_question_mark_not_fail() {
        String text = "{\"body\":\"a\ud800b\"}";
        assertEquals("{\"body\":\"a?b\"}", decode(OutboundFrame.of(text).wire()));
    }

    @Test
    void should_encode_once_for_every_socket_that_sends_it() {
        OutboundFrame frame = OutboundFrame.of("{\"type\":\"change\"}");
        assertSame(frame.wire(), frame.wire());
        assertEquals(17, frame.length());
    }

    /** Batches of frames of every length encoding, the whole batch passing 65,535 bytes in the last case. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 40})
    void should_join_a_batch_from_its_frames_encoded_bytes_as_its_text_would_encode(int count) {
        List<OutboundFrame> frames = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String text = "{\"n\":" + i + ",\"body\":\"Grüße 😀 " + "z".repeat(new int[] {3, 200, 70_000, 2_000}[i % 4])
                    + "\"}";
            texts.add(text);
            OutboundFrame frame = OutboundFrame.of(text);
            if (i % 2 == 0) {
                frame.wire(); // already encoded for another socket
            }
            frames.add(frame);
        }
        String expected = "{\"type\":\"frames\",\"frames\":[" + String.join(",", texts) + "]}";
        OutboundFrame preframed = OutboundFrame.batch(new ArrayList<>(frames));
        assertEquals(expected.length(), preframed.length(), "counted without building the text");
        assertEquals(expected, decode(preframed.wire()));
        assertEquals(expected, preframed.text());
        OutboundFrame standard = OutboundFrame.batch(new ArrayList<>(frames));
        assertEquals(expected, standard.text());
        assertEquals(expected, decode(standard.wire()));
    }

    /** A strict reader of one server frame: final, text, unmasked, the shortest length encoding, nothing after. */
    private static String decode(byte[] wire) {
        ByteBuffer in = ByteBuffer.wrap(wire);
        assertEquals((byte) 0x81, in.get(), "FIN and opcode 1 (text), no reserved bits");
        int first = in.get() & 0xFF;
        assertEquals(0, first & 0x80, "a server's frames are not masked");
        long length = first & 0x7F;
        if (length == 126) {
            length = in.getShort() & 0xFFFF;
            assertEquals(true, length > 125, "shortest encoding");
        } else if (length == 127) {
            length = in.getLong();
            assertEquals(true, length > 0xFFFF, "shortest encoding");
        }
        assertEquals(length, in.remaining(), "the payload is the rest of the message");
        return StandardCharsets.UTF_8.decode(in).toString();
    }
}
