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
    private final long throttleNanos;
    private final Peers peers;
    private final Consumer<BroadcastEvent> observers;
    private final Map<StreamId, Room> rooms = new HashMap<>();
    private final Map<String, Room> named = new HashMap<>();
    private final Map<Subscriber, Set<StreamId>> streamsOf = new HashMap<>();
    private final Map<ThrottleKey, Throttle> throttles = new HashMap<>();

    private record ThrottleKey(StreamId stream, String sender, String event) {
    }

    /** A sender's window on one stream and event: what arrived during it waits, and only the last value is kept. */
    private static final class Throttle {
        long windowEnds;
        String waiting;
        Subscriber from;
        boolean scheduled;
    }

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
        this.observers = observers;
        this.settings = settings;
        this.profiles = List.copyOf(profiles);
        this.policies = List.copyOf(policies);
        this.maxMembers = maxMembers;
        this.disabled = Set.copyOf(settings.broadcastDisabledChannels());
        this.throttleNanos = TimeUnit.MILLISECONDS.toNanos(settings.broadcastThrottleMillis());
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
            thread.scheduleWithFixedDelay(this::refresh, peers.refreshMillis(), peers.refreshMillis(),
                    TimeUnit.MILLISECONDS);
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
            if (room != null && !room.present.isEmpty() && !room.shown.containsKey(user)) {
                room.shown.put(user, entry);
                tell(room, Frames.joined(room.stream, entry));
            }
        });
    }

    @Override
    public void left(String stream, String user) {
        run(() -> {
            Room room = named.get(stream);
            // present here is present: this instance's refresh puts the entry back should it have expired
            if (room != null && !room.present.containsKey(user) && room.shown.remove(user) != null) {
                tell(room, Frames.left(null, room.stream, user));
            }
        });
    }

    @Override
    public void broadcast(String stream, String frame) {
        run(() -> {
            Room room = named.get(stream);
            if (room != null) {
                room.subscribers.forEach(socket -> socket.send(frame));
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
        Map<String, String> everyone = admit(room, user, entry, limit);
        if (everyone == null) {
            socket.send(Frames.error(ErrorCode.FULL, "At most " + limit + " may be present here.", id));
            return;
        }
        if (member == null) {
            member = new Room.Member(user, entry);
            room.present.put(user, member);
        }
        show(room, stream, everyone); // before the socket hears joins: its own list comes next
        member.sockets.add(socket);
        socket.send(Frames.presence(id, stream, room.shown.values()));
    }

    /** The members once {@code user} is present, or {@code null} when that would be more than {@code limit}. */
    private Map<String, String> admit(Room room, String user, String entry, int limit) {
        if (peers != null) {
            try {
                return peers.join(room.name, user, entry, limit);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "Rowcast: presence without the peers", e); // the peers log the outage
            }
        }
        if (!room.shown.containsKey(user) && room.shown.size() >= limit) {
            return null;
        }
        Map<String, String> after = new java.util.LinkedHashMap<>(room.shown);
        after.put(user, entry);
        return after;
    }

    /** The members once {@code user} has no socket here. */
    private Map<String, String> release(Room room, String user) {
        if (peers != null) {
            try {
                return peers.leave(room.name, user);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "Rowcast: presence without the peers", e);
            }
        }
        Map<String, String> after = new java.util.LinkedHashMap<>(room.shown);
        after.remove(user);
        return after;
    }

    /** Tells the present sockets how the members changed: {@code left} for who went, {@code joined} for who came. */
    private void show(Room room, StreamId stream, Map<String, String> everyone) {
        for (Iterator<Map.Entry<String, String>> it = room.shown.entrySet().iterator(); it.hasNext();) {
            String user = it.next().getKey();
            if (!everyone.containsKey(user) && !room.present.containsKey(user)) {
                it.remove();
                tell(room, Frames.left(null, stream, user));
            }
        }
        everyone.forEach((user, entry) -> {
            if (!room.shown.containsKey(user)) {
                room.shown.put(user, entry);
                tell(room, Frames.joined(stream, entry));
            }
        });
        if (room.present.isEmpty()) {
            room.shown.clear(); // nobody here to tell; the next join brings the list anew
        }
    }

    private static void tell(Room room, String frame) {
        room.presentSockets().forEach(socket -> socket.send(frame));
    }

    /** With peers: keeps this instance's entries alive, and learns who expired elsewhere. */
    private void refresh() {
        for (Map.Entry<StreamId, Room> entry : List.copyOf(rooms.entrySet())) {
            Room room = entry.getValue();
            if (room.present.isEmpty()) {
                continue;
            }
            try {
                show(room, entry.getKey(), peers.refresh(room.name, room.here()));
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "Rowcast: presence refresh without the peers", e);
                return; // the peers log the outage; the next refresh tries again
            }
        }
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
            show(room, stream, release(room, member.user));
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
        throttle(new ThrottleKey(stream, sender, event), socket, frame);
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

    /**
     * Leading and trailing edge: the first broadcast of a window goes at once, later ones wait and replace each
     * other, and the last one goes when the window ends. So a burst costs two frames, and the last value arrives.
     */
    private void throttle(ThrottleKey key, Subscriber socket, String frame) {
        long now = System.nanoTime();
        Throttle gate = throttles.get(key);
        if (gate == null || now - gate.windowEnds >= 0 && gate.waiting == null) {
            if (gate == null) {
                gate = new Throttle();
                throttles.put(key, gate);
            }
            gate.windowEnds = now + throttleNanos;
            send(key.stream(), socket, frame);
            schedule(key, gate);
            return;
        }
        gate.waiting = frame;
        gate.from = socket;
        schedule(key, gate);
    }

    private void schedule(ThrottleKey key, Throttle gate) {
        if (gate.scheduled) {
            return;
        }
        gate.scheduled = true;
        long delay = Math.max(0, gate.windowEnds - System.nanoTime());
        try {
            thread.schedule(() -> windowEnded(key, gate), delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            throttles.remove(key); // stopping
        }
    }

    private void windowEnded(ThrottleKey key, Throttle gate) {
        gate.scheduled = false;
        if (System.nanoTime() - gate.windowEnds < 0) {
            schedule(key, gate); // a leading send moved the window on since this was scheduled
            return;
        }
        if (gate.waiting == null) {
            throttles.remove(key, gate); // quiet for a whole window: forget it, memory stays bounded
            return;
        }
        String frame = gate.waiting;
        Subscriber from = gate.from;
        gate.waiting = null;
        gate.from = null;
        gate.windowEnds = System.nanoTime() + throttleNanos;
        send(key.stream(), from, frame);
        schedule(key, gate);
    }

    private void send(StreamId stream, Subscriber sender, String frame) {
        Room room = rooms.get(stream);
        if (peers != null) {
            peers.broadcast(name(stream), frame);
        }
        if (room == null) {
            return;
        }
        for (Subscriber socket : room.subscribers) {
            if (socket != sender) {
                socket.send(frame);
            }
        }
    }

    private static String notSubscribed(JsonValue id) {
        return Frames.error(ErrorCode.NOT_SUBSCRIBED, "Subscribe to the stream first, and wait for 'subscribed'.",
                id);
    }

    /** For tests: how many throttle windows are open. */
    int openThrottles() {
        return throttles.size();
    }

    /** Present users of a stream, for tests. */
    List<String> presentUsers(StreamId stream) {
        Room room = rooms.get(stream);
        return room == null ? List.of() : new ArrayList<>(room.present.keySet());
    }
}
