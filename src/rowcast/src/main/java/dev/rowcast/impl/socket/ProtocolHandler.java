package dev.rowcast.impl.socket;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.rowcast.impl.bridge.ReactiveChannels;
import dev.rowcast.impl.dispatch.ChangeDispatcher;
import dev.rowcast.impl.metrics.RowcastMetrics;
import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.proposal.Proposals;
import dev.rowcast.impl.protocol.CloseCodes;
import dev.rowcast.impl.protocol.ErrorCode;
import dev.rowcast.impl.protocol.Frames;
import dev.rowcast.impl.protocol.Inbound;
import dev.rowcast.impl.protocol.InboundParser;
import dev.rowcast.impl.security.SubscriptionGate;
import dev.rowcast.impl.talk.Talk;

/**
 * Acts on one client frame: checks its size, rate-limits it, has the {@link InboundParser} read it, authorizes
 * subscriptions and hands them to the dispatcher in order. Every bad frame gets an error frame and leaves the socket
 * open and working; only a frame over the size limit (1009) or a flood (4429) closes it.
 */
final class ProtocolHandler {

    private static final Logger LOG = Logger.getLogger(ProtocolHandler.class.getName());
    /** A waiting request besides its frame: the parsed message, the step, its stage. */
    private static final long REQUEST_BYTES = 256;

    private final ChangeDispatcher dispatcher;
    private final SubscriptionGate gate;
    private final InboundParser parser;
    private final int maxFrameBytes;
    private final ScheduledExecutorService timers;
    private final RowcastMetrics metrics;
    private final Talk talk;
    private final Proposals proposals;
    private final UserRateLimit userLimit;

    /**
     * @param timers runs the delayed closes of {@link ClientConnection#closeWhenQuiet}
     * @param groups finds the channels that are groups, not entities
     */
    ProtocolHandler(ChangeDispatcher dispatcher, SubscriptionGate gate, int maxFrameBytes,
            ScheduledExecutorService timers, RowcastMetrics metrics, Talk talk, Proposals proposals,
            Function<String, Optional<ReactiveEntityModel>> groups, UserRateLimit userLimit) {
        this.userLimit = userLimit; // subscribes per user across instances, or null for none
        this.metrics = metrics;
        this.dispatcher = dispatcher;
        this.gate = gate;
        this.maxFrameBytes = maxFrameBytes;
        this.timers = timers;
        this.talk = talk;
        this.proposals = proposals;
        this.parser = new InboundParser(channel -> ReactiveChannels.find(channel).or(() -> groups.apply(channel)));
    }

    void text(ClientConnection connection, String text) {
        metrics.inbound();
        if (ignored(connection)) {
            return;
        }
        // the container checks the size of fragmented messages only; one unfragmented frame reaches us whole
        if (text.length() > maxFrameBytes || (long) text.length() * 3 > maxFrameBytes
                && utf8Length(text) > maxFrameBytes) {
            tooBig(connection);
            return;
        }
        if (!admitted(connection)) {
            return;
        }
        try {
            act(connection, text);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "ROWCAST-046: a client frame could not be handled on " + connection, e);
            error(connection, ErrorCode.INVALID_MESSAGE, "The frame could not be handled.", null);
        }
    }

    void binary(ClientConnection connection, ByteBuffer bytes) {
        metrics.inbound();
        if (ignored(connection)) {
            return;
        }
        if (bytes.remaining() > maxFrameBytes) {
            tooBig(connection);
        } else if (admitted(connection)) {
            error(connection, ErrorCode.INVALID_MESSAGE,
                    "Binary frames are not supported; send JSON in text frames.", null);
        }
    }

    /** A pong that acknowledges our ping is free; any other costs a message, or a client could flood with them. */
    void pong(ClientConnection connection, ByteBuffer payload) {
        if (!connection.ponged(payload) && !ignored(connection)) {
            admitted(connection);
        }
    }

    /** A socket that is being closed for a violation reads on, without answering, until the client is quiet. */
    private static boolean ignored(ClientConnection connection) {
        connection.received();
        return connection.isClosingWhenQuiet();
    }

    private void tooBig(ClientConnection connection) {
        connection.closeWhenQuiet(CloseCodes.reason(CloseCodes.TOO_BIG,
                "frames may have at most " + maxFrameBytes + " bytes"), timers);
    }

    private boolean admitted(ClientConnection connection) {
        switch (connection.inbound().acquire(System.nanoTime())) {
            case LIMIT -> {
                error(connection, ErrorCode.RATE_LIMITED, "Too many messages; this one was dropped. Slow down.", null);
                return false;
            }
            case CLOSE -> {
                connection.closeWhenQuiet(CloseCodes.reason(CloseCodes.RATE_LIMITED, "rate limited"), timers);
                return false;
            }
            default -> {
                return true;
            }
        }
    }

    private void act(ClientConnection connection, String text) {
        Inbound message = parser.parse(text);
        if (message instanceof Inbound.ForChannel request) {
            // roles before the scope is checked: the scope errors name the channel's scopes
            message = gate.mayUse(connection.viewer(), request.model()) ? parser.scope(request)
                    : Inbound.Refused.of(request.action(), request.id(), ErrorCode.FORBIDDEN,
                            "You may not subscribe to this channel and scope.");
        }
        long cost = REQUEST_BYTES + 2L * text.length();
        if (message instanceof Inbound.Refused refused) {
            if (refused.inOrder()) {
                // a refused subscribe or unsubscribe is answered in its turn, after the replies to earlier ones
                inOrder(connection, cost, refused.id(), () -> {
                    refuse(connection, refused);
                    return done();
                });
            } else {
                refuse(connection, refused);
            }
        } else if (message instanceof Inbound.Ping ping) {
            connection.send(Frames.pong(ping.id()));
        } else if (message instanceof Inbound.Unsubscribe unsubscribe) {
            inOrder(connection, cost, unsubscribe.id(),
                    () -> dispatcher.unsubscribe(connection, unsubscribe.stream(), unsubscribe.id()));
        } else if (message instanceof Inbound.Subscribe subscribe) {
            subscribe(connection, subscribe, cost);
        } else if (message instanceof Inbound.Propose propose) {
            // in order with the socket's other requests, one at a time: results come back in the order sent
            inOrder(connection, cost, propose.id(), () -> proposals.propose(connection, propose));
        } else {
            talkBack(connection, message);
        }
    }

    private void refuse(ClientConnection connection, Inbound.Refused refused) {
        metrics.error(refused.code().wireName());
        connection.send(refused.frame());
    }

    /** Queues a request behind the socket's earlier ones; refuses it at once when too many wait already. */
    private void inOrder(ClientConnection connection, long cost, jakarta.json.JsonValue id,
            java.util.function.Supplier<? extends CompletionStage<?>> step) {
        if (!connection.inOrder(cost, step)) {
            error(connection, ErrorCode.RATE_LIMITED, "Too many of your requests are waiting (an authorizer is "
                    + "slow); this one was dropped. Send it again in a moment.", id);
        }
    }

    /** Presence and broadcasts: their own class does the work. */
    private void talkBack(ClientConnection connection, Inbound message) {
        if (message instanceof Inbound.Join join) {
            talk.join(connection, join.stream(), join.id());
        } else if (message instanceof Inbound.Leave leave) {
            talk.leave(connection, leave.stream(), leave.id());
        } else if (message instanceof Inbound.Broadcast broadcast) {
            talk.broadcast(connection, broadcast.stream(), broadcast.event(), broadcast.data(), broadcast.id());
        }
    }

    private void subscribe(ClientConnection connection, Inbound.Subscribe subscribe, long cost) {
        java.security.Principal principal = connection.viewer().principal();
        // on the socket's thread, not in the chain: a step may run on the dispatch thread, which must not wait on Redis
        if (userLimit != null && principal != null && !userLimit.allow(principal.getName())) {
            // no strike: like a busy server, the client subscribes again in a moment
            error(connection, ErrorCode.RATE_LIMITED, "Too many subscribes by your user across the cluster; "
                    + "subscribe again in a moment.", subscribe.id());
            return;
        }
        inOrder(connection, cost, subscribe.id(), () -> gate.allows(connection.viewer(), subscribe.model(),
                subscribe.stream()).thenCompose(allowed -> {
                    if (!connection.isOpen()) {
                        return done(); // closed while the authorizer decided
                    }
                    if (Boolean.TRUE.equals(allowed)) {
                        // the next request waits until the dispatch thread has replied to this one
                        return dispatcher.subscribe(connection, subscribe.stream(), subscribe.model(), subscribe.id(),
                                subscribe.from());
                    }
                    error(connection, ErrorCode.FORBIDDEN, "You may not subscribe to this channel and scope.",
                            subscribe.id());
                    return done();
                }));
    }

    private static CompletionStage<Void> done() {
        return CompletableFuture.completedFuture(null);
    }

    /** An error frame, counted by its code. */
    private void error(ClientConnection connection, ErrorCode code, String message, jakarta.json.JsonValue id) {
        metrics.error(code.wireName());
        connection.send(Frames.error(code, message, id));
    }

    /** The UTF-8 length of a string: the limit is in bytes, as the container's is. */
    static long utf8Length(String text) {
        int chars = text.length();
        long bytes = chars;
        for (int i = 0; i < chars; i++) {
            char c = text.charAt(i);
            if (c >= 0x800) {
                bytes += Character.isSurrogate(c) ? 1 : 2; // a pair is 4 bytes for 2 chars; a lone one is 3
            } else if (c >= 0x80) {
                bytes++;
            }
        }
        return bytes;
    }
}
