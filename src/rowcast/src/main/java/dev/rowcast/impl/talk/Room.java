package dev.rowcast.impl.talk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.rowcast.impl.dispatch.Subscriber;

/**
 * One stream as presence and broadcasts see it: the sockets that follow it, and who is present. Talk thread only.
 */
final class Room {

    /** One user present on the stream, with every socket through which they joined. */
    static final class Member {
        final String user;
        final String entry;
        final Set<Subscriber> sockets = new LinkedHashSet<>();

        Member(String user, String entry) {
            this.user = user;
            this.entry = entry;
        }
    }

    final Set<Subscriber> subscribers = new LinkedHashSet<>();
    final Map<String, Member> present = new LinkedHashMap<>();

    Member memberOf(Subscriber socket) {
        for (Member member : present.values()) {
            if (member.sockets.contains(socket)) {
                return member;
            }
        }
        return null;
    }

    /** Every socket of everyone present: who hears joins and leaves. */
    List<Subscriber> presentSockets() {
        List<Subscriber> sockets = new ArrayList<>();
        present.values().forEach(member -> sockets.addAll(member.sockets));
        return sockets;
    }

    List<String> entries() {
        return present.values().stream().map(member -> member.entry).toList();
    }

    boolean isEmpty() {
        return subscribers.isEmpty() && present.isEmpty();
    }
}
