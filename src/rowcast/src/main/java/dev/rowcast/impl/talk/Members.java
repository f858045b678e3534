package dev.rowcast.impl.talk;

import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.rowcast.impl.protocol.Frames;
import dev.rowcast.impl.protocol.OutboundFrame;

/**
 * Who is present on a stream, as its present sockets are told: decided by this instance alone, or with peers by
 * their shared store. Every answer is a whole list, and the sockets are told only how it differs from what they
 * were told before ({@link Room#shown}); so the same change heard twice (a script's answer and a pub/sub message)
 * makes one frame, and a lost message is made good by the next renewal. Talk thread only.
 */
final class Members {

    private static final Logger LOG = Logger.getLogger(Members.class.getName());

    private final Peers peers;

    /** @param peers the other instances, or {@code null} */
    Members(Peers peers) {
        this.peers = peers;
    }

    /** The members once {@code user} is present, or {@code null} when that would be more than {@code limit}. */
    Map<String, String> admit(Room room, String user, String entry, int limit) {
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
        Map<String, String> after = new LinkedHashMap<>(room.shown);
        after.put(user, entry);
        return after;
    }

    /** The members once {@code user} has no socket here. */
    Map<String, String> release(Room room, String user) {
        if (peers != null) {
            try {
                return peers.leave(room.name, user);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "Rowcast: presence without the peers", e);
            }
        }
        Map<String, String> after = new LinkedHashMap<>(room.shown);
        after.remove(user);
        return after;
    }

    /** Tells the present sockets how the members changed: {@code left} for who went, {@code joined} for who came. */
    void show(Room room, Map<String, String> everyone) {
        for (Iterator<Map.Entry<String, String>> it = room.shown.entrySet().iterator(); it.hasNext();) {
            String user = it.next().getKey();
            if (!everyone.containsKey(user) && !room.present.containsKey(user)) {
                it.remove();
                tell(room, Frames.left(null, room.stream, user));
            }
        }
        everyone.forEach((user, entry) -> {
            if (!room.shown.containsKey(user)) {
                room.shown.put(user, entry);
                tell(room, Frames.joined(room.stream, entry));
            }
        });
        if (room.present.isEmpty()) {
            room.shown.clear(); // nobody here to tell; the next join brings the list anew
        }
    }

    /** A peer says {@code user} came. */
    void heardJoined(Room room, String user, String entry) {
        if (!room.present.isEmpty() && !room.shown.containsKey(user)) {
            room.shown.put(user, entry);
            tell(room, Frames.joined(room.stream, entry));
        }
    }

    /** A peer says {@code user} went; present here is present, and this instance's renewal puts them back. */
    void heardLeft(Room room, String user) {
        if (!room.present.containsKey(user) && room.shown.remove(user) != null) {
            tell(room, Frames.left(null, room.stream, user));
        }
    }

    /** With peers: keeps this instance's entries alive, and learns who came and went meanwhile. */
    void renew(Collection<Room> rooms) {
        if (peers == null) {
            return;
        }
        for (Room room : rooms) {
            if (room.present.isEmpty()) {
                continue;
            }
            try {
                show(room, peers.refresh(room.name, room.here()));
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "Rowcast: presence renewal without the peers", e);
                return; // the peers log the outage; the next renewal tries again
            }
        }
    }

    private static void tell(Room room, String frame) {
        OutboundFrame shared = OutboundFrame.of(frame);
        room.presentSockets().forEach(socket -> socket.send(shared));
    }
}
