package dev.rowcast.impl.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.spi.StreamId;
import dev.rowcast.spi.SubscriptionAuthorizer;

class SubscriptionGateTest {

    private static final Principal BOB = () -> "bob";
    private static final ConnectionIdentity USER = new ConnectionIdentity(BOB, Set.of("user"), null);
    private static final StreamId STREAM = new StreamId("message", "conversation_id", 7L);

    private static ReactiveEntityModel model(List<String> rolesAllowed) {
        return new ReactiveEntityModel("Message", Object.class, "message", "message", "id", "id", List.of(),
                List.of(), null, rolesAllowed, Map.of(), 0);
    }

    private static boolean verdict(SubscriptionGate gate, ReactiveEntityModel model) throws Exception {
        return gate.allows(USER, model, STREAM).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void should_wait_for_an_authorizer_that_answers_later_on_another_thread() throws Exception {
        SubscriptionAuthorizer later = request -> CompletableFuture.supplyAsync(
                () -> request.principal().getName().equals("bob") && request.isUserInRole("user")
                        && request.stream().equals(STREAM),
                CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS));
        CompletionStage<Boolean> answer = new SubscriptionGate(List.of(later), Runnable::run, Duration.ofSeconds(5)).allows(USER, model(List.of()), STREAM);
        assertFalse(answer.toCompletableFuture().isDone(), "not decided before the authorizer answered");
        assertTrue(answer.toCompletableFuture().get(5, TimeUnit.SECONDS));
    }

    @Test
    void should_deny_when_an_authorizer_fails_throws_or_answers_null() throws Exception {
        SubscriptionAuthorizer failing = request -> CompletableFuture.failedFuture(new IllegalStateException("down"));
        SubscriptionAuthorizer throwing = request -> {
            throw new IllegalStateException("bug");
        };
        SubscriptionAuthorizer nothing = request -> null;
        SubscriptionAuthorizer nullAnswer = request -> CompletableFuture.completedFuture(null);
        for (SubscriptionAuthorizer authorizer : List.of(failing, throwing, nothing, nullAnswer)) {
            assertFalse(verdict(new SubscriptionGate(List.of(authorizer), Runnable::run, Duration.ofSeconds(5)), model(List.of())), authorizer.toString());
        }
    }

    @Test
    void should_need_every_authorizer_and_stop_asking_after_the_first_no() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        SubscriptionAuthorizer no = request -> CompletableFuture.completedFuture(false);
        SubscriptionAuthorizer counting = request -> {
            asked.incrementAndGet();
            return CompletableFuture.completedFuture(true);
        };
        assertFalse(verdict(new SubscriptionGate(List.of(no, counting), Runnable::run, Duration.ofSeconds(5)), model(List.of())));
        assertEquals(0, asked.get());
        assertTrue(verdict(new SubscriptionGate(List.of(counting, counting), Runnable::run, Duration.ofSeconds(5)), model(List.of())));
        assertEquals(2, asked.get());
    }

    @Test
    void should_check_the_channels_roles_before_any_authorizer() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        SubscriptionAuthorizer counting = request -> {
            asked.incrementAndGet();
            return CompletableFuture.completedFuture(true);
        };
        SubscriptionGate gate = new SubscriptionGate(List.of(counting), Runnable::run, Duration.ofSeconds(5));
        assertFalse(verdict(gate, model(List.of("admin"))));
        assertEquals(0, asked.get());
        assertTrue(verdict(gate, model(List.of("admin", "user"))));
    }

    @Test
    void should_deny_when_an_authorizer_does_not_answer_in_time() throws Exception {
        SubscriptionAuthorizer never = request -> new CompletableFuture<>();
        CompletionStage<Boolean> answer = new SubscriptionGate(List.of(never), Runnable::run, Duration.ofMillis(100))
                .allows(USER, model(List.of()), STREAM);
        assertFalse(answer.toCompletableFuture().get(5, TimeUnit.SECONDS), "no answer is no");
    }

    @Test
    void should_call_authorizers_on_the_given_threads_not_the_socket_thread() throws Exception {
        java.util.concurrent.ExecutorService appThreads = java.util.concurrent.Executors.newSingleThreadExecutor(
                runnable -> new Thread(runnable, "app-context"));
        try {
            String[] calledOn = new String[1];
            SubscriptionAuthorizer recording = request -> {
                calledOn[0] = Thread.currentThread().getName();
                return CompletableFuture.completedFuture(true);
            };
            assertTrue(new SubscriptionGate(List.of(recording), appThreads, Duration.ofSeconds(5))
                    .allows(USER, model(List.of()), STREAM).toCompletableFuture().get(5, TimeUnit.SECONDS));
            assertEquals("app-context", calledOn[0]);
        } finally {
            appThreads.shutdownNow();
        }
    }
}
