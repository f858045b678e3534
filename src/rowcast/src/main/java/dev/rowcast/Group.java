package dev.rowcast;

import java.util.List;
import java.util.Objects;

/**
 * A named group that no entity backs: a lobby, a game table, a document's editors. Produce one per group channel
 * as a CDI bean ({@code @Produces Group lobby = Group.named("lobby").maxMembers(50).rolesAllowed("user");}).
 * <p>
 * A group is a channel with one scope, {@code name} (a string): each value is one group, with its own members.
 * Clients subscribe to it like any stream (it never has changes), then {@code join} its presence to become a member,
 * see the others, and {@code broadcast} to them. Authorization is the stream's: {@code rolesAllowed} and every
 * {@link dev.rowcast.spi.SubscriptionAuthorizer}. docs/talk.md says how groups relate to streams and presence.
 */
public final class Group {

    private final String channel;
    private final int maxMembers;
    private final List<String> rolesAllowed;

    private Group(String channel, int maxMembers, List<String> rolesAllowed) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.maxMembers = maxMembers;
        this.rolesAllowed = List.copyOf(rolesAllowed);
    }

    /** A group channel; at most {@code rowcast.presence.maxMembers} members per group until {@link #maxMembers}. */
    public static Group named(String channel) {
        return new Group(channel, 0, List.of());
    }

    /** At most this many users may be members (present) of one group of this channel at once. */
    public Group maxMembers(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxMembers must be at least 1");
        }
        return new Group(channel, max, rolesAllowed);
    }

    /** Only callers in one of these roles may subscribe, join and broadcast; none means every caller. */
    public Group rolesAllowed(String... roles) {
        return new Group(channel, maxMembers, List.of(roles));
    }

    public String channel() {
        return channel;
    }

    /** 0 when the {@code rowcast.presence.maxMembers} setting applies. */
    public int maxMembers() {
        return maxMembers;
    }

    public List<String> rolesAllowed() {
        return rolesAllowed;
    }

    @Override
    public String toString() {
        return "Group[" + channel + "]";
    }
}
