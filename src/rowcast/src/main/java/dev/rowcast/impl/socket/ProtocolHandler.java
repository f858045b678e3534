package dev.rowcast.impl.socket;

import java.util.concurrent.CompletableFuture;

import dev.rowcast.impl.bridge.ReactiveChannels;
import dev.rowcast.impl.dispatch.ChangeDispatcher;
import dev.rowcast.impl.protocol.CloseCodes;
import dev.rowcast.impl.protocol.ErrorCode;
import dev.rowcast.impl.protocol.Frames;
import dev.rowcast.impl.protocol.Inbound;
import dev.rowcast.impl.protocol.InboundParser;
import dev.rowcast.impl.security.SubscriptionGate;

/**
 * Acts on one client frame: rate-limits it, has the {@link InboundParser} read it, authorizes subscriptions and
 * hands them to the dispatcher in order. Every bad frame gets an error frame and leaves the socket open and working.
 */
final class ProtocolHandler {

    private final ChangeDispatcher dispatcher;
    private final SubscriptionGate gate;
    private final InboundParser parser = new InboundParser(ReactiveChannels::find);

    ProtocolHandler(ChangeDispatcher dispatcher, SubscriptionGate gate) {
        this.dispatcher = dispatcher;
        this.gate = gate;
    }

    void handle(ClientConnection connection, String text) {
        switch (connection.inbound().acquire(System.nanoTime())) {
            case LIMIT -> {
                connection.send(Frames.error(ErrorCode.RATE_LIMITED,
                        "Too many messages; this one was dropped. Slow down.", null));
                return;
            }
            case CLOSE -> {
                connection.close(CloseCodes.reason(CloseCodes.RATE_LIMITED, "rate limited"));
                return;
            }
            default -> {
                // allowed
            }
        }
        Inbound message = parser.parse(text);
        if (message instanceof Inbound.Refused refused) {
            connection.send(refused.frame());
        } else if (message instanceof Inbound.Ping ping) {
            connection.send(Frames.pong(ping.id()));
        } else if (message instanceof Inbound.Unsubscribe unsubscribe) {
            connection.inOrder(() -> {
                dispatcher.unsubscribe(connection, unsubscribe.stream(), unsubscribe.id());
                return CompletableFuture.completedFuture(null);
            });
        } else if (message instanceof Inbound.Subscribe subscribe) {
            subscribe(connection, subscribe);
        }
    }

    private void subscribe(ClientConnection connection, Inbound.Subscribe subscribe) {
        connection.inOrder(() -> gate.allows(connection.viewer(), subscribe.model(), subscribe.stream())
                .thenAccept(allowed -> {
                    if (!connection.isOpen()) {
                        return; // closed while the authorizer decided
                    }
                    if (Boolean.TRUE.equals(allowed)) {
                        dispatcher.subscribe(connection, subscribe.stream(), subscribe.model(), subscribe.id(),
                                subscribe.from());
                    } else {
                        connection.send(Frames.error(ErrorCode.FORBIDDEN,
                                "You may not subscribe to this channel and scope.", subscribe.id()));
                    }
                }));
    }
}
