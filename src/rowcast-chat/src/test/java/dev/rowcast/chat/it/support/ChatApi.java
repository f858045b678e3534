package dev.rowcast.chat.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.time.Duration;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;

/** The reference WAR's REST API, called over real HTTP. */
public final class ChatApi {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public static final String DEFAULT_USER = "alice";

    private final URL base;
    private final String authorization;

    /** The API as alice. */
    public ChatApi(URL base) {
        this(base, basic(DEFAULT_USER, DEFAULT_USER));
    }

    private ChatApi(URL base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    /** The API as a demo user (password = name). */
    public ChatApi as(String user) {
        return new ChatApi(base, basic(user, user));
    }

    /** The API with a raw Authorization header, or none when null. */
    public ChatApi withAuthorization(String header) {
        return new ChatApi(base, header);
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A bearer token for a demo user, from POST /api/tokens. */
    public String token(String user, long ttlSeconds) {
        Reply reply = as(user).call("POST", "api/tokens?ttl=" + ttlSeconds, null);
        assertEquals(200, reply.status(), reply.body());
        assertEquals(ttlSeconds, reply.object().getJsonNumber("expiresIn").longValue(), reply.body());
        return reply.object().getString("token");
    }

    public JsonObject postMessage(long conversationId, String body, boolean isPrivate) {
        Reply reply = call("POST", "api/conversations/" + conversationId + "/messages",
                "{\"body\":\"" + body + "\",\"private\":" + isPrivate + "}");
        assertEquals(201, reply.status(), reply.body());
        return reply.object();
    }

    public void addMember(long conversationId, String user) {
        Reply reply = call("POST", "api/conversations/" + conversationId + "/members", "{\"user\":\"" + user + "\"}");
        assertEquals(204, reply.status(), reply.body());
    }

    public record Reply(int status, String body) {

        public JsonObject object() {
            return Json.createReader(new StringReader(body)).readObject();
        }

        public JsonStructure json() {
            return Json.createReader(new StringReader(body)).read();
        }
    }

    public long createConversation(String title) {
        Reply reply = call("POST", "api/conversations", "{\"title\":\"" + title + "\"}");
        assertEquals(201, reply.status(), reply.body());
        return reply.object().getJsonNumber("id").longValue();
    }

    public JsonObject postMessage(long conversationId, String body) {
        Reply reply = call("POST", "api/conversations/" + conversationId + "/messages", "{\"body\":\"" + body + "\"}");
        assertEquals(201, reply.status(), reply.body());
        return reply.object();
    }

    public Reply call(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Accept", "application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json));
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + " failed", e);
        }
    }
}
