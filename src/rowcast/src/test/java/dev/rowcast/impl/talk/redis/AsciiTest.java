package dev.rowcast.impl.talk.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AsciiTest {

    @Test
    void should_round_trip_any_text_through_printable_ascii() {
        String hostile = "a|b\\u0041\n\u0000\"\ud800\udc00\ud83d\ude00\udfff é\u2028" + "x".repeat(10_000);
        String encoded = Ascii.encode(hostile);
        assertTrue(encoded.chars().allMatch(c -> c >= 0x20 && c < 0x7f), encoded.substring(0, 60));
        assertEquals(hostile, Ascii.decode(encoded));
        String plain = "message\u0020conversation_id 42";
        assertSame(plain, Ascii.encode(plain), "plain text is not copied");
    }

    @Test
    void should_refuse_a_broken_escape() {
        assertThrows(IllegalArgumentException.class, () -> Ascii.decode("ab\\u12"));
        assertThrows(IllegalArgumentException.class, () -> Ascii.decode("ab\\x1234"));
        assertThrows(NumberFormatException.class, () -> Ascii.decode("\\uzzzz"));
    }
}
