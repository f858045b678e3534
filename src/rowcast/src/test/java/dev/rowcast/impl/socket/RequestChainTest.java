package dev.rowcast.impl.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

class RequestChainTest {

    private final List<String> ran = new CopyOnWriteArrayList<>();

    private boolean offer(RequestChain chain, long cost, String name) {
        return chain.offer(cost, () -> {
            ran.add(name);
            return null;
        });
    }

    @Test
    void should_refuse_steps_beyond_the_count_while_one_hangs_then_run_the_rest_in_order() {
        RequestChain chain = new RequestChain("socket", 3, 1024 * 1024);
        CompletableFuture<Boolean> authorizer = new CompletableFuture<>();
        assertTrue(chain.offer(10, () -> authorizer));
        assertTrue(offer(chain, 10, "b"));
        assertTrue(offer(chain, 10, "c"));
        assertFalse(offer(chain, 10, "d"), "the fourth waiting step is refused");
        assertEquals(3, chain.steps());
        assertEquals(List.of(), ran, "nothing overtakes the hanging step");

        authorizer.complete(false); // the timeout's answer
        assertEquals(List.of("b", "c"), ran);
        assertEquals(0, chain.steps());
        assertEquals(0, chain.bytes());
        assertTrue(offer(chain, 10, "e"), "room again");
    }

    @Test
    void should_refuse_steps_beyond_the_bytes_but_always_take_one_alone() {
        RequestChain chain = new RequestChain("socket", 1_000, 100);
        CompletableFuture<Void> hang = new CompletableFuture<>();
        assertTrue(chain.offer(5_000, () -> hang), "one step alone fits, however large");
        assertFalse(offer(chain, 10, "small"), "behind it, the bytes are spent");
        hang.complete(null);
        assertTrue(offer(chain, 60, "a"));
        assertEquals(List.of("a"), ran);
    }

    @Test
    void should_run_later_steps_when_one_throws_or_fails() {
        RequestChain chain = new RequestChain("socket", 10, 1_000);
        assertTrue(chain.offer(1, () -> {
            throw new Error("a plug-in's Error");
        }));
        assertTrue(chain.offer(1, () -> CompletableFuture.failedFuture(new IllegalStateException("failed stage"))));
        assertTrue(offer(chain, 1, "after"));
        assertEquals(List.of("after"), ran);
        assertEquals(0, chain.steps());
    }

    @Test
    void should_run_thousands_of_waiting_steps_without_overflowing_the_stack() {
        RequestChain chain = new RequestChain("socket", 100_000, Long.MAX_VALUE);
        CompletableFuture<Void> hang = new CompletableFuture<>();
        assertTrue(chain.offer(1, () -> hang));
        for (int i = 0; i < 20_000; i++) {
            assertTrue(chain.offer(1, () -> CompletableFuture.completedFuture(null)));
        }
        assertTrue(offer(chain, 1, "last"));
        hang.complete(null); // all of them run now, on this thread
        assertEquals(List.of("last"), ran);
        assertEquals(0, chain.steps());
    }
}
