package dev.rowcast.chat.api;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import dev.rowcast.chat.domain.Message;

/** Reads and checks request bodies; every problem is a 400 naming the field. */
final class Bodies {

    private Bodies() {
    }

    static JsonObject object(JsonValue body) {
        if (!(body instanceof JsonObject object)) {
            throw new BadRequest("the body must be a JSON object");
        }
        return object;
    }

    static String requiredText(JsonObject body, String field, int maxLength) {
        JsonValue value = body.get(field);
        if (!(value instanceof JsonString text) || text.getString().isBlank()) {
            throw new BadRequest(field + " is required and may not be blank");
        }
        if (text.getString().length() > maxLength) {
            throw new BadRequest(field + " is longer than " + maxLength + " characters");
        }
        return text.getString();
    }

    static String optionalText(JsonObject body, String field, String fallback, int maxLength) {
        return body.containsKey(field) ? requiredText(body, field, maxLength) : fallback;
    }

    static boolean optionalBoolean(JsonObject body, String field) {
        JsonValue value = body.get(field);
        if (value == null || value == JsonValue.NULL) {
            return false;
        }
        if (value != JsonValue.TRUE && value != JsonValue.FALSE) {
            throw new BadRequest(field + " must be true or false");
        }
        return value == JsonValue.TRUE;
    }

    static long requiredId(JsonObject body, String field) {
        JsonValue value = body.get(field);
        if (!(value instanceof JsonNumber number) || !number.isIntegral()) {
            throw new BadRequest(field + " must be an integer id");
        }
        return number.longValue();
    }

    static String body(JsonObject body) {
        return requiredText(body, "body", Message.MAX_BODY);
    }
}
