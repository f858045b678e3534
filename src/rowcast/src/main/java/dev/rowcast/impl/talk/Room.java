package dev.rowcast.impl.talk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.rowcast.impl.dispatch.Subscriber;
import dev.rowcast.spi.StreamId;

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

    final StreamId stream;
    /** How the other instances name this stream ({@link Talk#name}). */
    final String name;
    final Set<Subscriber> subscribers = new LinkedHashSet<>();
    /** Users present through this instance. */
    final Map<String, Member> present = new LinkedHashMap<>();
    /**
     * Every member, user to entry, as this instance's present sockets were told; with peers, those of every instance.
     * Empty while nobody is present here: nobody here would hear of a change.
     */
    final Map<String, String> shown = new LinkedHashMap<>();

    Room(StreamId stream, String name) {
        this.stream = stream;
        this.name = name;
    }

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

    /** This instance's present users, user to entry: what it keeps alive with its peers. */
    Map<String, String> here() {
        Map<String, String> here = new LinkedHashMap<>();
        present.values().forEach(member -> here.put(member.user, member.entry));
        return here;
    }

    boolean isEmpty() {
        return subscribers.isEmpty() && present.isEmpty();
    }
}
