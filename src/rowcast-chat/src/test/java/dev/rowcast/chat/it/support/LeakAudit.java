package dev.rowcast.chat.it.support;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.json.JsonObject;

/**
 * The security suites' oracle: every frame an audited client receives is checked, independently of the socket, for
 * a private row that is not the user's, an admin-only column, a message of a conversation the user is not a member
 * of (asked of the REST API), or anything of an admin-only channel. A suite asserts at its end that there were none.
 */
public final class LeakAudit {

    private final List<String> leaks = new ArrayList<>();
    private int audited;

    public synchronized List<String> leaks() {
        return List.copyOf(leaks);
    }

    /** How many frames were checked. */
    public synchronized int audited() {
        return audited;
    }

    private synchronized void leak(String what) {
        leaks.add(what);
    }

    private synchronized void counted() {
        audited++;
    }

    public Audited connect(ChatApi api, URL base, String user) {
        return new Audited(api, user, WsClient.connect(base, user));
    }

    /** A client whose every frame is audited as it arrives. */
    public final class Audited implements AutoCloseable {

        public final String user;
        public final WsClient client;
        private final ChatApi api;
        /** Membership only grows in these suites, so a yes can be remembered. */
        private final Set<Long> memberOf = java.util.concurrent.ConcurrentHashMap.newKeySet();

        Audited(ChatApi api, String user, WsClient client) {
            this.api = api;
            this.user = user;
            this.client = client;
            client.onFrame(this::audit);
        }

        void audit(JsonObject frame) {
            counted();
            List<JsonObject> rows = new ArrayList<>();
            if (frame.containsKey("rows")) {
                frame.getJsonArray("rows").forEach(row -> rows.add(row.asJsonObject()));
            }
            if (frame.containsKey("event") && frame.getJsonObject("event").containsKey("row")) {
                rows.add(frame.getJsonObject("event").getJsonObject("row"));
                if (frame.getJsonObject("event").containsKey("previous")) {
                    rows.add(frame.getJsonObject("event").getJsonObject("previous"));
                }
            }
            boolean admin = user.equals("admin");
            if (!admin && (frame.getString("type").equals("change") || frame.getString("type").equals("snapshot"))
                    && !mayFollow(frame.getString("channel"), frame.getJsonObject("scope"))) {
                leak(user + " received a frame of a stream it may not follow: " + frame);
            }
            for (JsonObject row : rows) {
                boolean privateOfOther = row.getBoolean("private", false) && !user.equals(row.getString("author", ""));
                if (!admin && (privateOfOther || row.containsKey("secret"))) {
                    leak(user + " received " + frame);
                }
            }
        }

        /** Asked of the server's REST API, independently of the socket: is the user a member right now? */
        private boolean mayFollow(String channel, JsonObject scope) {
            if (channel.equals("admin_note")) {
                return false;
            }
            if (!channel.equals("message")) {
                return true;
            }
            long conversation = scope.getJsonNumber("value").longValue();
            if (!memberOf.contains(conversation)) {
                ChatApi.Reply mine = api.as(user).call("GET", "api/conversations", null);
                ((jakarta.json.JsonArray) mine.json()).forEach(c -> memberOf.add(
                        c.asJsonObject().getJsonNumber("id").longValue()));
            }
            return memberOf.contains(conversation);
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
