package dev.rowcast.impl.outbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

/** PostgreSQL's to_jsonb output, as psql showed it on PostgreSQL 15, back to the Java types JPA uses. */
class ColumnValuesTest {

    private static final JsonObject ROW = Json.createReader(new StringReader("""
            {"b": "\\\\x0102ff", "d": "2026-11-29", "n": 1.50, "s": 12, "t": "07:36:31.122954",
             "u": "c851a4f6-8f8d-4949-b1f2-85d50943b3e1", "bo": true, "f4": 0.1, "iv": "1 day",
             "ts": "2026-11-29T07:36:31.122954", "tz": "2026-11-29T07:36:31.122954+01:00", "big": 100000000000000000000,
             "nan": "NaN", "ttz": "07:36:31.122954+01", "txt": "\\"q\\"", "id": 42, "none": null, "ord": 1,
             "name": "BLUE", "j": {"a": [1]}}
            """)).readObject();

    enum Colour { RED, BLUE }

    private static Object convert(String column, Class<?> type) {
        return ColumnValues.convert(ROW.get(column), type);
    }

    @Test
    void should_convert_numbers_to_the_attribute_type() {
        assertEquals(42L, convert("id", Long.class));
        assertEquals(42L, convert("id", long.class));
        assertEquals(42, convert("id", Integer.class));
        assertEquals((short) 12, convert("s", Short.class));
        assertEquals((byte) 12, convert("s", Byte.class));
        assertEquals(new BigDecimal("1.50"), convert("n", BigDecimal.class), "the column's scale is kept");
        assertEquals(1e20, convert("big", Double.class));
        assertEquals(0.1f, convert("f4", Float.class));
        assertEquals(Double.NaN, convert("nan", Double.class));
        assertThrows(ArithmeticException.class, () -> convert("big", Long.class));
    }

    @Test
    void should_convert_time_values_whatever_offset_the_writer_had() {
        assertEquals(Instant.parse("2026-11-29T06:36:31.122954Z"), convert("tz", Instant.class));
        assertEquals(OffsetDateTime.of(2026, 11, 29, 7, 36, 31, 122_954_000, ZoneOffset.ofHours(1)),
                convert("tz", OffsetDateTime.class));
        assertEquals(LocalDateTime.parse("2026-11-29T07:36:31.122954"), convert("ts", LocalDateTime.class));
        assertEquals(LocalDate.parse("2026-11-29"), convert("d", LocalDate.class));
        assertEquals(LocalTime.parse("07:36:31.122954"), convert("t", LocalTime.class));
        assertEquals(OffsetTime.parse("07:36:31.122954+01:00"), convert("ttz", OffsetTime.class));
        assertEquals(java.sql.Date.valueOf("2026-11-29"), convert("d", java.sql.Date.class));
        assertEquals(java.sql.Timestamp.valueOf("2026-11-29 07:36:31.122954"),
                convert("ts", java.sql.Timestamp.class));
    }

    @Test
    void should_convert_the_other_types() {
        assertArrayEquals(new byte[] { 1, 2, (byte) 0xff }, (byte[]) convert("b", byte[].class));
        assertEquals(UUID.fromString("c851a4f6-8f8d-4949-b1f2-85d50943b3e1"), convert("u", UUID.class));
        assertEquals(true, convert("bo", boolean.class));
        assertEquals("\"q\"", convert("txt", String.class));
        assertEquals(Colour.BLUE, convert("ord", Colour.class), "EnumType.ORDINAL");
        assertEquals(Colour.BLUE, convert("name", Colour.class), "EnumType.STRING");
        assertNull(convert("none", Long.class));
        assertEquals("{\"a\":[1]}", convert("j", String.class), "json in a String attribute is its text");
        assertEquals("1 day", convert("iv", java.time.Duration.class), "no rule: the database's text");
    }
}
