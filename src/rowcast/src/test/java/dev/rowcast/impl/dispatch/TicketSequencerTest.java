package dev.rowcast.impl.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class TicketSequencerTest {

    private static final long TIMEOUT = 1_000;
    private final List<String> released = new ArrayList<>();
    private final TicketSequencer<String> sequencer = new TicketSequencer<>(1, TIMEOUT);

    @Test
    void should_release_in_ticket_order_whatever_the_completion_order() {
        sequencer.complete(3, "c", 0, released::add);
        sequencer.complete(2, "b", 0, released::add);
        assertEquals(List.of(), released, "ticket 1 has not completed");
        sequencer.complete(1, "a", 0, released::add);
        assertEquals(List.of("a", "b", "c"), released);
        assertEquals(3, sequencer.releasedThrough());
    }

    @Test
    void should_release_every_later_transaction_when_one_release_throws_an_error() {
        java.util.function.Consumer<String> failingOnB = payload -> {
            if (payload.equals("b")) {
                throw new AssertionError("a release fails with an Error");
            }
            released.add(payload);
        };
        sequencer.complete(3, "c", 0, failingOnB);
        sequencer.complete(2, "b", 0, failingOnB);
        sequencer.complete(1, "a", 0, failingOnB);
        assertEquals(List.of("a", "c"), released, "only b is lost, not what came after it in the same drain");
        assertEquals(3, sequencer.releasedThrough());
        sequencer.complete(4, "d", 0, failingOnB);
        assertEquals(List.of("a", "c", "d"), released);
        sequencer.complete(0, "b", 0, failingOnB); // untracked ones are guarded too
        assertEquals(List.of("a", "c", "d"), released);
    }

    @Test
    void should_release_transactions_without_a_ticket_at_once() {
        sequencer.complete(2, "b", 0, released::add);
        sequencer.complete(0, "untracked", 0, released::add);
        assertEquals(List.of("untracked"), released);
    }

    @Test
    void should_skip_a_ticket_that_never_completes_after_the_timeout_and_release_it_late() {
        sequencer.complete(2, "b", 0, released::add);
        sequencer.expire(TIMEOUT - 1, 0, released::add);
        assertEquals(List.of(), released);
        sequencer.expire(TIMEOUT, 0, released::add);
        assertEquals(List.of("b"), released);
        sequencer.complete(1, "a-late", TIMEOUT + 5, released::add);
        assertEquals(List.of("b", "a-late"), released);
        sequencer.complete(3, "c", TIMEOUT + 6, released::add);
        assertEquals(List.of("b", "a-late", "c"), released);
    }

    @Test
    void should_time_a_new_wait_from_when_the_head_changed() {
        sequencer.complete(3, "c", 0, released::add);
        sequencer.complete(1, "a", 900, released::add); // releases a; now waits for 2 from t=900
        sequencer.expire(1_500, 0, released::add);
        assertEquals(List.of("a"), released);
        sequencer.expire(1_900, 0, released::add);
        assertEquals(List.of("a", "c"), released);
    }

    @Test
    void should_skip_a_missing_ticket_a_snapshot_waits_for_even_when_nothing_completes_behind_it() {
        sequencer.expire(0, 2, released::add); // tickets 1 and 2 taken, neither completes; a snapshot awaits 2
        sequencer.expire(TIMEOUT - 1, 2, released::add);
        assertEquals(0, sequencer.releasedThrough(), "not before the timeout");
        sequencer.expire(TIMEOUT, 2, released::add);
        assertEquals(1, sequencer.releasedThrough(), "ticket 1 skipped; 2 gets its own timeout");
        sequencer.complete(2, "b", TIMEOUT + 1, released::add);
        assertEquals(List.of("b"), released);
        assertEquals(2, sequencer.releasedThrough());
    }

    @Test
    void should_not_skip_anything_when_nobody_waits() {
        sequencer.expire(0, 0, released::add);
        sequencer.expire(10 * TIMEOUT, 0, released::add);
        assertEquals(0, sequencer.releasedThrough());
    }

    @Test
    void should_release_tickets_taken_before_it_started_at_once_and_in_silence() {
        TicketSequencer<String> late = new TicketSequencer<>(5, TIMEOUT);
        late.complete(3, "before start", 0, released::add);
        assertEquals(List.of("before start"), released);
        assertEquals(4, late.releasedThrough());
    }
}
