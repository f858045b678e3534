package dev.rowcast.impl.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.model.ScopeModel;

class InboundParserTest {

    private static final ReactiveEntityModel MESSAGE = new ReactiveEntityModel("Message", Object.class, "message",
            "message", "id", "id", List.of(), List.of(new ScopeModel("conversation", "conversation_id", Long.class)),
            null, List.of(), Map.of(), 0);

    private final InboundParser parser = new InboundParser(
            channel -> channel.equals("message") ? Optional.of(MESSAGE) : Optional.empty());

    @Test
    void should_refuse_every_cursor_out_of_range_with_invalid_message() {
        for (String seq : List.of("9223372036854775808", "18446744073709551616", "-1", "1.5", "1e400", "1e-400",
                "-9223372036854775809", "1E+999999999", "1E-999999999", "\"5\"")) {
            Inbound message = parser.parse("{\"type\":\"subscribe\",\"channel\":\"message\",\"scope\":"
                    + "{\"col\":\"conversation_id\",\"value\":1},\"from\":{\"epoch\":\"e\",\"seq\":" + seq + "}}");
            assertEquals(ErrorCode.INVALID_MESSAGE, assertInstanceOf(Inbound.Refused.class, message, seq).code(), seq);
        }
        for (String seq : List.of("0", "-0", "9223372036854775807", "5.000", "5e0")) {
            Inbound message = parser.parse("{\"type\":\"subscribe\",\"channel\":\"message\",\"scope\":"
                    + "{\"col\":\"conversation_id\",\"value\":1},\"from\":{\"epoch\":\"e\",\"seq\":" + seq + "}}");
            assertInstanceOf(Inbound.ForChannel.class, message, seq);
        }
    }

    @Test
    void should_refuse_every_scope_value_out_of_range_with_invalid_scope() {
        for (String value : List.of("9223372036854775808", "-9223372036854775809", "1e400", "1e-400", "1E+999999999",
                "1.5", "\"abc\"", "null", "1" + "0".repeat(1_000))) {
            Inbound named = parser.parse("{\"type\":\"subscribe\",\"channel\":\"message\",\"scope\":"
                    + "{\"col\":\"conversation_id\",\"value\":" + value + "}}");
            Inbound scoped = parser.scope(assertInstanceOf(Inbound.ForChannel.class, named));
            assertEquals(ErrorCode.INVALID_SCOPE, assertInstanceOf(Inbound.Refused.class, scoped, value).code());
        }
        // JSON-P refuses very long numbers itself (Parsson: over 1,100 characters)
        assertInstanceOf(Inbound.Refused.class, parser.parse("{\"type\":\"subscribe\",\"channel\":\"message\","
                + "\"scope\":{\"col\":\"conversation_id\",\"value\":1" + "0".repeat(30_000) + "}}"));
    }

    @Test
    void should_name_the_channel_first_and_check_the_scope_only_in_the_second_step() {
        Inbound named = parser.parse("{\"type\":\"unsubscribe\",\"id\":3,\"channel\":\"message\","
                + "\"scope\":{\"col\":\"nope\",\"value\":1}}");
        Inbound.ForChannel request = assertInstanceOf(Inbound.ForChannel.class, named);
        assertEquals(MESSAGE, request.model());
        Inbound.Refused refused = assertInstanceOf(Inbound.Refused.class, parser.scope(request));
        assertEquals(ErrorCode.INVALID_SCOPE, refused.code());

        Inbound ok = parser.scope((Inbound.ForChannel) parser.parse("{\"type\":\"subscribe\",\"channel\":\"message\","
                + "\"scope\":{\"col\":\"conversation_id\",\"value\":\"42\"}}"));
        assertEquals(42L, assertInstanceOf(Inbound.Subscribe.class, ok).stream().value());
    }

    @Test
    void should_never_cut_a_surrogate_pair_in_half_when_clipping_client_text() {
        String text = "x".repeat(63) + "\uD83D\uDE00" + "tail";
        assertEquals("x".repeat(63) + "...", InboundParser.clip(text));
        assertEquals("x".repeat(64) + "...", InboundParser.clip("x".repeat(64) + "\uD83D\uDE00"));
        assertEquals("short", InboundParser.clip("short"));
    }

    @Test
    void should_refuse_text_after_the_json_object_with_invalid_message() {
        for (String tail : List.of(" x", "}", "]", ",", "{\"type\":\"ping\"}", "\"\"", "0", "null", "//", "\u00e9",
                "\u0000")) {
            Inbound message = parser.parse("{\"type\":\"ping\",\"id\":1}" + tail);
            Inbound.Refused refused = assertInstanceOf(Inbound.Refused.class, message, tail);
            assertEquals(ErrorCode.INVALID_MESSAGE, refused.code(), tail);
        }
        // whitespace after the object is not text
        assertInstanceOf(Inbound.Ping.class, parser.parse("{\"type\":\"ping\"} \n\t\r"));
        assertEquals(ErrorCode.INVALID_JSON, assertInstanceOf(Inbound.Refused.class, parser.parse("")).code());
        assertEquals(ErrorCode.INVALID_JSON,
                assertInstanceOf(Inbound.Refused.class, parser.parse("{\"type\":\"ping\"")).code());
        assertEquals(ErrorCode.INVALID_MESSAGE, assertInstanceOf(Inbound.Refused.class, parser.parse("[1] 2")).code());
    }
}
