package dev.rowcast.impl.boot;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import dev.rowcast.Subscriptions;
import dev.rowcast.impl.bridge.ReactiveChannels;
import dev.rowcast.impl.dispatch.ChangeDispatcher;
import dev.rowcast.impl.dispatch.Subscribed;
import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.model.ScopeModel;
import dev.rowcast.impl.security.SubscriptionGate;
import dev.rowcast.impl.socket.Connections;
import dev.rowcast.spi.StreamId;

/** The application's handle on live subscriptions; the web listener gives it the engine when it starts. */
@ApplicationScoped
class RowcastSubscriptions implements Subscriptions {

    private record Engine(ChangeDispatcher dispatcher, SubscriptionGate gate, Connections connections) {
    }

    private volatile Engine engine;

    void started(ChangeDispatcher dispatcher, SubscriptionGate gate, Connections connections) {
        engine = new Engine(dispatcher, gate, connections);
    }

    void stopped() {
        engine = null;
    }

    @Override
    public void revoke(String user, String channel, String scopeColumn, Object value) {
        ReactiveEntityModel model = ReactiveChannels.find(channel).orElseThrow(() -> new IllegalArgumentException(
                "No @Reactive channel '" + channel + "'."));
        ScopeModel scope = model.scopeByColumn(scopeColumn).orElseThrow(() -> new IllegalArgumentException(
                "Channel '" + channel + "' has no scope '" + scopeColumn + "'; its scopes are: "
                        + model.scopeColumns() + "."));
        if (value == null || !boxed(scope.valueType()).isInstance(value)) {
            throw new IllegalArgumentException("The value of scope '" + scopeColumn + "' must be a "
                    + boxed(scope.valueType()).getName() + ", not " + (value == null ? "null"
                            : value.getClass().getName()) + ": a stream is keyed by the scope's Java type.");
        }
        Engine running = engine;
        if (running != null) {
            running.dispatcher().revoke(user, new StreamId(channel, scopeColumn, value));
        }
    }

    @Override
    public CompletionStage<Integer> recheck(String user) {
        Engine running = engine;
        if (running == null) {
            return CompletableFuture.completedFuture(0);
        }
        return running.dispatcher().subscriptionsOf(user).thenCompose(found -> recheck(running, found));
    }

    private static CompletionStage<Integer> recheck(Engine running, List<Subscribed> found) {
        AtomicInteger ended = new AtomicInteger();
        CompletableFuture<?>[] checks = found.stream().map(subscribed -> running.gate()
                .allows(subscribed.subscriber().viewer(), subscribed.model(), subscribed.stream())
                .thenAccept(allowed -> {
                    if (!Boolean.TRUE.equals(allowed)) {
                        running.dispatcher().revoke(subscribed.subscriber(), subscribed.stream());
                        ended.incrementAndGet();
                    }
                }).toCompletableFuture()).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(checks).thenApply(done -> ended.get());
    }

    @Override
    public void disconnect(String user) {
        Engine running = engine;
        if (running != null) {
            running.connections().closeAllOf(user);
        }
    }

    private static Class<?> boxed(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return type == long.class ? Long.class : type == int.class ? Integer.class : type == short.class ? Short.class
                : type == byte.class ? Byte.class : type == boolean.class ? Boolean.class : type;
    }
}
