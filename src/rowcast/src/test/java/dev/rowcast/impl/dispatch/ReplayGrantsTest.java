package dev.rowcast.impl.dispatch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.Principal;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.rowcast.impl.security.ConnectionIdentity;
import dev.rowcast.spi.Position;
import dev.rowcast.spi.StreamId;
import dev.rowcast.spi.Viewer;

class ReplayGrantsTest {

    private static final StreamId STREAM = new StreamId("message", "conversation_id", 1L);

    private static Viewer user(String name) {
        Principal principal = () -> name;
        return new ConnectionIdentity(principal, Set.of(), null);
    }

    @Test
    void should_replay_only_from_where_the_caller_joined_in_that_epoch() {
        ReplayGrants grants = new ReplayGrants(10);
        grants.joined(user("eve"), STREAM, new Position("e1", 5));
        assertTrue(grants.allows(user("eve"), STREAM, new Position("e1", 5)), "from its join on");
        assertTrue(grants.allows(user("eve"), STREAM, new Position("e1", 9)));
        assertFalse(grants.allows(user("eve"), STREAM, new Position("e1", 0)), "history before it joined");
        assertFalse(grants.allows(user("eve"), STREAM, new Position("e0", 7)), "another epoch");
        assertFalse(grants.allows(user("bob"), STREAM, new Position("e1", 9)), "another caller's cursor");
        assertFalse(grants.allows(user("eve"), new StreamId("message", "conversation_id", 2L),
                new Position("e1", 9)), "another stream");
    }

    @Test
    void should_keep_the_earliest_join_of_an_epoch_and_forget_the_least_recent_caller_first() {
        ReplayGrants grants = new ReplayGrants(2);
        grants.joined(user("a"), STREAM, new Position("e", 3));
        grants.joined(user("a"), STREAM, new Position("e", 8)); // a second tab joins later
        assertTrue(grants.allows(user("a"), STREAM, new Position("e", 4)), "the first tab still resumes");
        grants.joined(user("b"), STREAM, new Position("e", 1));
        grants.joined(user("c"), STREAM, new Position("e", 1)); // over the bound: a goes
        assertFalse(grants.allows(user("a"), STREAM, new Position("e", 4)), "forgotten: resync by snapshot");
        assertTrue(grants.allows(user("c"), STREAM, new Position("e", 1)));
    }

    /** Cluster mode: a join on another instance counts here; one that failed to be read counts as none. */
    @Test
    void should_allow_a_cursor_from_a_join_on_another_instance() {
        java.util.Map<String, Position> elsewhere = new java.util.HashMap<>();
        SharedGrants shared = new SharedGrants() {
            @Override
            public void joined(String caller, StreamId stream, Position head) {
                elsewhere.put(caller, head);
            }

            @Override
            public Position joinedAt(String caller, StreamId stream) {
                if (caller.equals("user:mallory")) {
                    throw new IllegalStateException("Redis is away");
                }
                return elsewhere.get(caller);
            }
        };
        ReplayGrants onA = new ReplayGrants(10, shared);
        ReplayGrants onB = new ReplayGrants(10, shared);
        onA.joined(user("eve"), STREAM, new Position("e1", 5));
        assertTrue(onB.allows(user("eve"), STREAM, new Position("e1", 7)), "joined on A, resumes on B");
        assertFalse(onB.allows(user("eve"), STREAM, new Position("e1", 4)), "not from before she joined");
        assertFalse(onB.allows(user("bob"), STREAM, new Position("e1", 7)), "not another caller's");
        assertFalse(onB.allows(user("mallory"), STREAM, new Position("e1", 7)), "a failed read allows nothing");
    }
}
