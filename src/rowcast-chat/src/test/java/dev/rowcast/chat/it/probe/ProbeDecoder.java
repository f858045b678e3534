package dev.rowcast.chat.it.probe;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import dev.rowcast.spi.DecodedChange;
import dev.rowcast.spi.NotificationDecoder;

/**
 * Test probe: decodes the JSON its table's trigger sends on {@code it_app_events}, as an application with its own
 * NOTIFY payloads would, and misbehaves on cue: {@code throw}, {@code error}, {@code null}, {@code garbage} (a table
 * it does not report), {@code huge} (an id of 2^63, past the column's range), {@code skip}. Keeps the warnings
 * Rowcast logs about it, for the test to read.
 */
@ApplicationScoped
public class ProbeDecoder implements NotificationDecoder {

    static final List<String> WARNINGS = new ArrayList<>();

    static {
        Logger.getLogger("dev.rowcast.impl.outbox.NotificationListener").addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (WARNINGS) {
                    WARNINGS.add(record.getLevel() + " " + String.valueOf(record.getMessage()));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }

    static List<String> warnings() {
        synchronized (WARNINGS) {
            return List.copyOf(WARNINGS);
        }
    }

    @Override
    public String channel() {
        return "it_app_events";
    }

    @Override
    public Set<String> tables() {
        return Set.of("decoded_note");
    }

    @Override
    public DecodedChange decode(String payload) {
        switch (payload) {
            case "throw":
                throw new IllegalStateException("probe: this decoder fails on cue");
            case "error":
                throw new StackOverflowError("probe: an Error, not an exception");
            case "null":
                return null;
            case "garbage":
                return DecodedChange.inserted("no_such_table", 1L);
            case "skip":
                return DecodedChange.skip();
            case "huge":
                return DecodedChange.inserted("decoded_note", java.math.BigInteger.ONE.shiftLeft(63)); // 2^63
            default:
                break;
        }
        JsonObject json;
        try (JsonReader reader = Json.createReader(new StringReader(payload))) {
            json = reader.readObject();
        }
        long id = json.getJsonNumber("id").longValue();
        Map<String, Object> before = json.isNull("before") ? Map.of() : Map.of(
                "topic", json.getJsonObject("before").getJsonNumber("topic").longValue(),
                "body", json.getJsonObject("before").getString("body"));
        return switch (json.getString("op")) {
            case "INSERT" -> DecodedChange.inserted("decoded_note", id);
            case "UPDATE" -> DecodedChange.updated("decoded_note", id, before);
            case "DELETE" -> DecodedChange.deleted("decoded_note", id, before);
            default -> DecodedChange.skip();
        };
    }
}
