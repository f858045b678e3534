package dev.rowcast.bench;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

/**
 * The naive baseline: scope value to sessions, and {@link BenchResource#raw} sends each frame with a plain
 * {@code getAsyncRemote().sendText} per session. Clients pick their scope with {@code /raw?topic=N}.
 */
@ServerEndpoint("/raw")
public class RawEndpoint {

    private static final Map<Long, Set<Session>> TOPICS = new ConcurrentHashMap<>();

    static Set<Session> sessions(long topic) {
        return TOPICS.getOrDefault(topic, Set.of());
    }

    @OnOpen
    public void open(Session session) {
        List<String> values = session.getRequestParameterMap().get("topic");
        long topic = values == null || values.isEmpty() ? 0 : Long.parseLong(values.get(0));
        session.getUserProperties().put("topic", topic);
        TOPICS.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet()).add(session);
        // same handshake shape as Rowcast's, so the load generator waits the same way
        session.getAsyncRemote().sendText("{\"type\":\"subscribed\"}");
    }

    @OnClose
    public void close(Session session) {
        Object topic = session.getUserProperties().get("topic");
        if (topic != null) {
            sessions((Long) topic).remove(session);
        }
    }

    @OnError
    public void error(Session session, Throwable error) {
        // a load-generator socket going away is expected
    }
}
