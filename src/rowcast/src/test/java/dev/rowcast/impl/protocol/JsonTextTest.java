package dev.rowcast.impl.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

class JsonTextTest {

    @Test
    void should_escape_every_string_so_a_json_parser_reads_it_back() {
        String nasty = "quote\" backslash\\ newline\n tab\t nul\u0000 bell\u0007 sep\u2028 emoji\uD83D\uDE00 </script>";
        String json = JsonText.string(new StringBuilder(), nasty).toString();
        assertEquals(nasty, Json.createReader(new StringReader("[" + json + "]")).readArray().getString(0));
    }

    @Test
    void should_escape_lone_surrogates_so_the_text_always_encodes_as_utf8_and_keep_pairs() throws Exception {
        String text = "lone high \uD800 lone low \uDC00 reversed \uDC00\uD800 pair \uD83D\uDE00 end \uD83D";
        String json = JsonText.string(new StringBuilder(), text).toString();
        assertEquals("\"lone high \\ud800 lone low \\udc00 reversed \\udc00\\ud800 pair \uD83D\uDE00 end \\ud83d\"",
                json);
        // strict UTF-8, as the container encodes frames: throws on a lone surrogate
        java.nio.charset.StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .encode(java.nio.CharBuffer.wrap(json));
        assertEquals(text, Json.createReader(new StringReader("[" + json + "]")).readArray().getString(0),
                "a JSON parser reads the same string back");
    }

    @Test
    void should_encode_values_as_documented_in_the_protocol() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("long", 9_007_199_254_740_993L);
        row.put("decimal", new BigDecimal("1.50"));
        row.put("bool", true);
        row.put("nothing", null);
        row.put("instant", Instant.parse("2026-11-22T09:00:00.123456Z"));
        row.put("date", LocalDate.of(2026, 11, 22));
        row.put("legacy", new Date(0));
        row.put("uuid", new UUID(1, 2));
        row.put("enum", Thread.State.NEW);
        row.put("bytes", new byte[] { 1, 2, 3 });
        row.put("nan", Double.NaN);
        String json = JsonText.object(new StringBuilder(), row).toString();
        JsonObject parsed = Json.createReader(new StringReader(json)).readObject();

        assertEquals(9_007_199_254_740_993L, parsed.getJsonNumber("long").longValueExact());
        assertEquals("1.50", parsed.getJsonNumber("decimal").toString());
        assertEquals(true, parsed.getBoolean("bool"));
        assertEquals(true, parsed.isNull("nothing"));
        assertEquals("2026-11-22T09:00:00.123456Z", parsed.getString("instant"));
        assertEquals("2026-11-22", parsed.getString("date"));
        assertEquals("1970-01-01T00:00:00Z", parsed.getString("legacy"));
        assertEquals(new UUID(1, 2).toString(), parsed.getString("uuid"));
        assertEquals("NEW", parsed.getString("enum"));
        assertEquals("AQID", parsed.getString("bytes"));
        assertEquals(true, parsed.isNull("nan"));
    }
}
