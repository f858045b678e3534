package dev.rowcast.impl.talk;

import java.security.Principal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.json.JsonValue;

import dev.rowcast.BroadcastEvent;
import dev.rowcast.impl.config.RowcastSettings;
import dev.rowcast.impl.dispatch.StreamMembers;
import dev.rowcast.impl.dispatch.Subscriber;
import dev.rowcast.impl.protocol.ErrorCode;
import dev.rowcast.impl.protocol.Frames;
import dev.rowcast.impl.protocol.OutboundFrame;
import dev.rowcast.spi.Broadcast;
import dev.rowcast.spi.BroadcastPolicy;
import dev.rowcast.spi.PresenceProfile;
import dev.rowcast.spi.StreamId;

/**
 * Presence and ephemeral broadcasts. One thread, {@code rowcast-talk}, owns all of their state, so it needs no
 * locks; the dispatch thread and the socket threads only queue work to it, and it only queues frames to sockets,
 * which never blocks. So a broadcast never delays a change, and a slow socket only delays itself.
 * <p>
 * Which sockets follow a stream comes from the dispatcher ({@link StreamMembers}): the socket's {@code subscribed}
 * reply is queued after the news reaches this thread's queue, so a client that waits for it is known here.
 * <p>
 * With {@link Peers} (cluster mode) presence and broadcasts span instances: who is present is decided by the peers'
 * shared store, and what the other instances did arrives as {@link Peers.Listener} calls, queued to this thread.
 * When the peers cannot be reached, this instance goes on with what it knows, and its refresh puts its members back.
 */
public final class Talk implements StreamMembers, Peers.Listener {

    private static final Logger LOG = Logger.getLogger(Talk.class.getName());

    private final ScheduledExecutorService thread;
    private final RowcastSettings.Talk settings;
    private final List<PresenceProfile> profiles;
    private final List<BroadcastPolicy> policies;
    private final ToIntFunction<String> maxMembers;
    private final Set<String> disabled;
    private final BroadcastThrottle throttle;
    private final Peers peers;
    private final Members members;
    private final Consumer<BroadcastEvent> observers;
    private final Map<StreamId, Room> rooms = new HashMap<>();
    private final Map<String, Room> named = new HashMap<>();
    private final Map<Subscriber, Set<StreamId>> streamsOf = new HashMap<>();

    /**
     * @param thread one thread, made with the application's context (policies and profiles may use CDI)
     * @param maxMembers the presence limit of a channel: a group's own, else the setting
     * @param peers the other instances, or {@code null} when this one is alone
     * @param observers fires {@link BroadcastEvent} to the application's CDI observers
     */
    public Talk(ScheduledExecutorService thread, RowcastSettings.Talk settings, List<PresenceProfile> profiles,
            List<BroadcastPolicy> policies, ToIntFunction<String> maxMembers, Peers peers,
            Consumer<BroadcastEvent> observers) {
        this.thread = thread;
        this.peers = peers;
        this.members = new Members(peers);
        this.observers = observers;
        this.settings = settings;
        this.profiles = List.copyOf(profiles);
        this.policies = List.copyOf(policies);
        this.maxMembers = maxMembers;
        this.disabled = Set.copyOf(settings.broadcastDisabledChannels());
        this.throttle = new BroadcastThrottle(thread, settings.broadcastThrottleMillis(), this::send);
    }

    /**
     * Starts the sweep that drops the entries of sockets that closed without a word, and with peers, the refresh
     * that keeps this instance's entries alive and hears of the others' expired ones.
     */
    public void start() {
        thread.scheduleWithFixedDelay(this::sweep, settings.presenceSweepMillis(), settings.presenceSweepMillis(),
                TimeUnit.MILLISECONDS);
        if (peers != null) {
            peers.listen(this);
            thread.scheduleWithFixedDelay(this::renew, peers.refreshMillis(), peers.refreshMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** A renewal that throws would stop the schedule: it is logged, and the next one runs. */
    private void renew() {
        try {
            members.renew(List.copyOf(rooms.values()));
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "ROWCAST-089: presence renewal failed; it runs again in "
                    + peers.refreshMillis() + " ms", e);
        }
    }

    /** How instances name a stream to each other: its value's text, as every instance has the same types. */
    static String name(StreamId stream) {
        return stream.channel() + '\n' + stream.column() + '\n' + stream.value();
    }

    // --- from the dispatch thread ---

    @Override
    public void joined(Subscriber subscriber, StreamId stream) {
        run(() -> {
            room(stream).subscribers.add(subscriber);
            streamsOf.computeIfAbsent(subscriber, s -> new HashSet<>()).add(stream);
        });
    }

    @Override
    public void left(Subscriber subscriber, StreamId stream) {
        run(() -> forget(subscriber, stream));
    }

    // --- from the socket threads ---

    public void join(Subscriber socket, StreamId stream, JsonValue id) {
        run(() -> onJoin(socket, stream, id));
    }

    public void leave(Subscriber socket, StreamId stream, JsonValue id) {
        run(() -> onLeave(socket, stream, id));
    }

    /** Checks the size at once, on the socket's thread: a too large broadcast never reaches the queue. */
    public void broadcast(Subscriber socket, StreamId stream, String event, JsonValue data, JsonValue id) {
        String text = Frames.json(data);
        if (text.length() > settings.broadcastMaxBytes()) {
            socket.send(Frames.error(ErrorCode.TOO_LARGE, "A broadcast's data may have at most "
                    + settings.broadcastMaxBytes() + " characters.", id));
            return;
        }
        run(() -> onBroadcast(socket, stream, event, data, id));
    }

    // --- from the peers' thread ---

    @Override
    public void joined(String stream, String user, String entry) {
        run(() -> {
            Room room = named.get(stream);
            if (room != null) {
                members.heardJoined(room, user, entry);
            }
        });
    }

    @Override
    public void left(String stream, String user) {
        run(() -> {
            Room room = named.get(stream);
            if (room != null) {
                members.heardLeft(room, user);
            }
        });
    }

    @Override
    public void broadcast(String stream, String frame) {
        run(() -> {
            Room room = named.get(stream);
            if (room != null) {
                OutboundFrame shared = OutboundFrame.of(frame);
                room.subscribers.forEach(socket -> socket.send(shared));
            }
        });
    }

    // --- on the talk thread ---

    private Room room(StreamId stream) {
        return rooms.computeIfAbsent(stream, s -> {
            Room room = new Room(s, name(s));
            named.put(room.name, room);
            return room;
        });
    }

    private void drop(StreamId stream) {
        Room room = rooms.remove(stream);
        if (room != null) {
            named.remove(room.name);
        }
    }

    private void run(Runnable task) {
        try {
            thread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, "ROWCAST-047: a presence or broadcast task failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.log(Level.FINE, "Rowcast: stopping; presence or broadcast task dropped", e);
        }
    }

    private void onJoin(Subscriber socket, StreamId stream, JsonValue id) {
        Room room = rooms.get(stream);
        if (room == null || !room.subscribers.contains(socket)) {
            socket.send(notSubscribed(id));
            return;
        }
        Principal principal = socket.viewer().principal();
        if (principal == null) {
            socket.send(Frames.error(ErrorCode.FORBIDDEN, "Presence needs a signed-in caller.", id));
            return;
        }
        String user = principal.getName();
        Room.Member member = room.present.get(user);
        String entry = member != null ? member.entry : Frames.member(user, profile(socket, stream));
        int limit = maxMembers.applyAsInt(stream.channel());
        Map<String, String> everyone = members.admit(room, user, entry, limit);
        if (everyone == null) {
            socket.send(Frames.error(ErrorCode.FULL, "At most " + limit + " may be present here.", id));
            return;
        }
        if (member == null) {
            member = new Room.Member(user, entry);
            room.present.put(user, member);
        }
        members.show(room, everyone); // before the socket hears joins: its own list comes next
        member.sockets.add(socket);
        socket.send(Frames.presence(id, stream, room.shown.values()));
    }

    private void onLeave(Subscriber socket, StreamId stream, JsonValue id) {
        Room room = rooms.get(stream);
        Principal principal = socket.viewer().principal();
        if (room != null) {
            absent(room, stream, socket);
        }
        socket.send(Frames.left(id, stream, principal == null ? "" : principal.getName()));
    }

    /** The socket no longer follows the stream: it is no longer present either. */
    private void forget(Subscriber socket, StreamId stream) {
        Room room = rooms.get(stream);
        Set<StreamId> streams = streamsOf.get(socket);
        if (streams != null && streams.remove(stream) && streams.isEmpty()) {
            streamsOf.remove(socket);
        }
        if (room == null) {
            return;
        }
        room.subscribers.remove(socket);
        absent(room, stream, socket);
        if (room.isEmpty()) {
            drop(stream);
        }
    }

    /** Takes one socket out of the presence; the user leaves with their last socket. */
    private void absent(Room room, StreamId stream, Subscriber socket) {
        Room.Member member = room.memberOf(socket);
        if (member == null) {
            return;
        }
        member.sockets.remove(socket);
        if (member.sockets.isEmpty()) {
            room.present.remove(member.user);
            members.show(room, members.release(room, member.user));
        }
    }

    /** Drops what sockets that closed left behind, should their disconnect never have come. */
    private void sweep() {
        try {
            for (Subscriber socket : List.copyOf(streamsOf.keySet())) {
                if (!socket.isOpen()) {
                    List.copyOf(streamsOf.getOrDefault(socket, Set.of())).forEach(stream -> forget(socket, stream));
                }
            }
            for (Iterator<Map.Entry<StreamId, Room>> it = rooms.entrySet().iterator(); it.hasNext();) {
                Map.Entry<StreamId, Room> entry = it.next();
                Room room = entry.getValue();
                for (Room.Member member : List.copyOf(room.present.values())) {
                    for (Subscriber socket : List.copyOf(member.sockets)) {
                        if (!socket.isOpen() || !room.subscribers.contains(socket)) {
                            absent(room, entry.getKey(), socket);
                        }
                    }
                }
                if (room.isEmpty()) {
                    it.remove();
                    named.remove(room.name);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "ROWCAST-048: presence sweep failed", e);
        }
    }

    private String profile(Subscriber socket, StreamId stream) {
        if (profiles.isEmpty()) {
            return null;
        }
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        try {
            for (PresenceProfile profile : profiles) {
                Map<String, Object> more = profile.fields(socket.viewer(), stream);
                if (more != null) {
                    more.forEach((name, value) -> fields.put(name, plain(value)));
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "ROWCAST-049: a PresenceProfile failed for " + socket.viewer() + " on " + stream
                    + "; the entry has the name alone", e);
            return null;
        }
        String text = Frames.object(fields);
        if (text.length() > settings.broadcastMaxBytes()) {
            LOG.warning(() -> "ROWCAST-050: the presence fields of " + socket.viewer() + " on " + stream + " have "
                    + text.length() + " characters, more than " + RowcastSettings.BROADCAST_MAX_BYTES
                    + "; the entry has the name alone");
            return null;
        }
        return text;
    }

    /** Only plain values: a profile must not publish an entity's {@code toString()} by accident. */
    private static Object plain(Object value) {
        return value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                ? value : String.valueOf(value);
    }

    private void onBroadcast(Subscriber socket, StreamId stream, String event, JsonValue data, JsonValue id) {
        Room room = rooms.get(stream);
        if (room == null || !room.subscribers.contains(socket)) {
            socket.send(notSubscribed(id));
            return;
        }
        if (disabled.contains(stream.channel())) {
            socket.send(Frames.error(ErrorCode.FORBIDDEN, "Broadcasts are off on this channel.", id));
            return;
        }
        Principal principal = socket.viewer().principal();
        String from = principal == null ? null : principal.getName();
        JsonValue shaped = data;
        try {
            for (BroadcastPolicy policy : policies) {
                shaped = policy.shape(new Broadcast(socket.viewer(), stream, event, shaped));
                if (shaped == null) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "ROWCAST-051: a BroadcastPolicy failed for " + socket.viewer() + " on " + stream
                    + "; the broadcast is dropped", e);
            shaped = null;
        }
        if (shaped != null) {
            shaped = observe(new BroadcastEvent(socket.viewer(), stream, event, shaped));
        }
        if (shaped == null) {
            if (id != null) {
                socket.send(Frames.error(ErrorCode.FORBIDDEN, "The application dropped this broadcast.", id));
            }
            return;
        }
        String frame = Frames.broadcast(stream, event, shaped, from);
        // anonymous callers are throttled per socket: they share no name
        String sender = from != null ? "u:" + from : "s:" + System.identityHashCode(socket);
        throttle.offer(stream, sender, event, socket, frame);
    }

    /** The application's CDI observers' verdict: the data to send, or {@code null}. One that throws drops it. */
    private JsonValue observe(BroadcastEvent broadcast) {
        try {
            observers.accept(broadcast);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "ROWCAST-086: an observer of BroadcastEvent failed for " + broadcast.sender()
                    + " on " + broadcast.stream() + "; the broadcast is dropped", e);
            return null;
        }
        return broadcast.vetoed() ? null : broadcast.data();
    }

    private void send(StreamId stream, Subscriber sender, String frame) {
        Room room = rooms.get(stream);
        if (peers != null) {
            peers.broadcast(name(stream), frame);
        }
        if (room == null) {
            return;
        }
        OutboundFrame shared = OutboundFrame.of(frame);
        for (Subscriber socket : room.subscribers) {
            if (socket != sender) {
                socket.send(shared);
            }
        }
    }

    private static String notSubscribed(JsonValue id) {
        return Frames.error(ErrorCode.NOT_SUBSCRIBED, "Subscribe to the stream first, and wait for 'subscribed'.",
                id);
    }

    /** For tests: how many throttle windows are open. */
    int openThrottles() {
        return throttle.open();
    }

    /** Present users of a stream, for tests. */
    List<String> presentUsers(StreamId stream) {
        Room room = rooms.get(stream);
        return room == null ? List.of() : new ArrayList<>(room.present.keySet());
    }
}
