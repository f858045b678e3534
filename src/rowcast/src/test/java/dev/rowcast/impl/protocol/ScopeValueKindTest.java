package dev.rowcast.impl.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.time.Instant;
import java.util.UUID;

import jakarta.json.Json;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;

import dev.rowcast.impl.model.ScopeModel;

class ScopeValueKindTest {

    enum Color { RED, GREEN }

    private static JsonValue json(String text) {
        return Json.createReader(new StringReader("[" + text + "]")).readArray().get(0);
    }

    private static Object convert(Class<?> type, String json) {
        return ScopeValueKind.convert(new ScopeModel("a", "a", type), json(json));
    }

    @Test
    void should_make_a_number_and_a_numeric_string_the_same_long() {
        assertEquals(42L, convert(Long.class, "42"));
        assertEquals(42L, convert(Long.class, "\"42\""));
        assertEquals(42L, convert(long.class, "42.0"));
        assertEquals(convert(Long.class, "42"), convert(Long.class, "\"42\""));
    }

    @Test
    void should_refuse_what_is_not_an_integer_in_range() {
        for (String bad : new String[] { "\"abc\"", "1.5", "true", "{}", "[]", "1e400", "\"" + "9".repeat(50) + "\"" }) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> convert(Long.class, bad));
            assertTrue(e.getMessage().startsWith("expected"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> convert(Integer.class, "3000000000"));
        assertThrows(IllegalArgumentException.class, () -> convert(Short.class, "40000"));
        assertThrows(IllegalArgumentException.class, () -> convert(Long.class, "null"));
    }

    @Test
    void should_convert_strings_booleans_uuids_and_enums() {
        assertEquals("7", convert(String.class, "7"));
        assertEquals("x", convert(String.class, "\"x\""));
        assertEquals(true, convert(boolean.class, "true"));
        assertEquals(false, convert(Boolean.class, "\"false\""));
        UUID uuid = UUID.randomUUID();
        assertEquals(uuid, convert(UUID.class, "\"" + uuid + "\""));
        assertEquals(Color.GREEN, convert(Color.class, "\"GREEN\""));
        assertThrows(IllegalArgumentException.class, () -> convert(Color.class, "\"BLUE\""));
        assertThrows(IllegalArgumentException.class, () -> convert(UUID.class, "\"not-a-uuid\""));
    }

    @Test
    void should_have_no_kind_for_types_unfit_for_equality() {
        assertTrue(ScopeValueKind.of(Instant.class).isEmpty());
        assertTrue(ScopeValueKind.of(Double.class).isEmpty());
    }
}
