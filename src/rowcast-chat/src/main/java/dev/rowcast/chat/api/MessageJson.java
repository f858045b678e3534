package dev.rowcast.chat.api;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import dev.rowcast.chat.domain.Message;

/** The REST view of a message; the conversation is its id, so the lazy association is never loaded. */
final class MessageJson {

    private MessageJson() {
    }

    static JsonObject of(Message message) {
        return Json.createObjectBuilder()
                .add("id", message.getId())
                .add("conversationId", (Long) message.getConversation().getId())
                .add("author", message.getAuthor())
                .add("body", message.getBody())
                .add("private", message.isPrivate())
                .add("createdAt", message.getCreatedAt().toString())
                .build();
    }
}
