package dev.rowcast.impl.socket;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;

import dev.rowcast.impl.config.RowcastSettings;
import dev.rowcast.impl.dispatch.ChangeDispatcher;
import dev.rowcast.impl.metrics.RowcastMetrics;
import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.proposal.Proposals;
import dev.rowcast.impl.protocol.CloseCodes;
import dev.rowcast.impl.protocol.ErrorCode;
import dev.rowcast.impl.protocol.Frames;
import dev.rowcast.impl.security.ConnectionIdentity;
import dev.rowcast.impl.security.HandshakeIdentities;
import dev.rowcast.impl.security.SubscriptionGate;
import dev.rowcast.impl.talk.Talk;

/**
 * The wire only: opens a {@link ClientConnection} per socket, hands text frames to the {@link ProtocolHandler}, and
 * cleans up on close. One shared instance; it holds no per-socket state of its own.
 */
public final class RowcastEndpoint extends Endpoint {

    private static final Logger LOG = Logger.getLogger(RowcastEndpoint.class.getName());
    private static final String CONNECTION = ClientConnection.class.getName();
    private static final String EXPIRY = CONNECTION + ".expiry";
    private static final String RELEASE = CONNECTION + ".upgradeRelease";

    private final ChangeDispatcher dispatcher;
    private final ProtocolHandler protocol;
    private final HandshakeIdentities identities;
    private final ScheduledExecutorService expiries;
    private final Connections connections;
    private final RowcastSettings settings;
    private final RowcastMetrics metrics;
    private final Senders senders;
    private final ContainerWorkarounds workarounds;

    public RowcastEndpoint(ChangeDispatcher dispatcher, SubscriptionGate gate, HandshakeIdentities identities,
            ScheduledExecutorService expiries, Connections connections, Senders senders,
            ContainerWorkarounds workarounds, RowcastSettings settings, RowcastMetrics metrics, Talk talk,
            Proposals proposals,
            Function<String, Optional<ReactiveEntityModel>> groups, UserRateLimit userLimit) {
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        this.senders = senders;
        this.workarounds = workarounds;
        metrics.knownErrors(java.util.Arrays.stream(ErrorCode.values()).map(ErrorCode::wireName).toList());
        this.protocol = new ProtocolHandler(dispatcher, gate, settings.maxFrameBytes(), expiries, metrics, talk,
                proposals, groups, userLimit);
        this.identities = identities;
        this.expiries = expiries;
        this.connections = connections;
        this.settings = settings;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        // Tyrus applies these to fragmented messages only; ProtocolHandler checks whole frames (1009 either way)
        session.setMaxTextMessageBufferSize(settings.maxFrameBytes());
        session.setMaxBinaryMessageBufferSize(settings.maxFrameBytes());
        if (workarounds.idleTimer().apply(session)) {
            metrics.idleTimerBypassed();
        }
        ConnectionIdentity identity = identities.claim(session);
        int maxBatchChars = Frames.SUBPROTOCOL_V2.equals(session.getNegotiatedSubprotocol())
                ? settings.outbound().maxBatchBytes() : 0;
        long now = System.nanoTime();
        RowcastSettings.EngineLimits limits = settings.engine();
        ClientConnection connection = new ClientConnection(session, identity, settings.maxQueuedBytes(),
                new RateLimiter(settings.inboundRatePerSecond(), settings.inboundBurst(), settings.rateLimitStrikes(),
                        now),
                new RateLimiter(limits.catchUpEventsPerSecond(), limits.catchUpEventsBurst(), 0, now),
                new RateLimiter(limits.catchUpSnapshotsPerSecond(), limits.catchUpSnapshotsBurst(), 0, now), metrics,
                new SendPath(senders, workarounds.preframed().outletFor(session), maxBatchChars),
                limits.maxPendingRequests(), limits.maxPendingBytes());
        metrics.opened();
        session.getUserProperties().put(CONNECTION, connection);
        connections.add(connection);
        // the identity, roles and expiry are copied by now: the container's copy of the handshake can go, on a read
        UpgradeRequestRelease.Handle release = workarounds.upgradeRelease().afterOpen(session);
        session.getUserProperties().put(RELEASE, release);
        session.getUserProperties().put(LateInputGuard.PROPERTY, workarounds.lateInput().afterOpen(session));
        session.addMessageHandler(PongMessage.class, pong -> {
            release.onRead();
            protocol.pong(connection, pong.getApplicationData());
        });
        if (identity.expiresAt() != null) {
            long delay = Math.max(0, Duration.between(Instant.now(), identity.expiresAt()).toMillis());
            ScheduledFuture<?> expiry = expiries.schedule(() -> connection.close(
                    CloseCodes.reason(CloseCodes.CREDENTIAL_EXPIRED, "credential expired")), delay,
                    TimeUnit.MILLISECONDS);
            session.getUserProperties().put(EXPIRY, expiry);
        }
        session.addMessageHandler(String.class, new MessageHandler.Whole<String>() {
            @Override
            public void onMessage(String text) {
                release.onRead();
                protocol.text(connection, text);
            }
        });
        session.addMessageHandler(ByteBuffer.class, new MessageHandler.Whole<ByteBuffer>() {
            @Override
            public void onMessage(ByteBuffer bytes) {
                release.onRead();
                protocol.binary(connection, bytes);
            }
        });
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        // first: the container recycles the request once this returns
        if (session.getUserProperties().get(RELEASE) instanceof UpgradeRequestRelease.Handle release) {
            release.cancel();
        }
        if (session.getUserProperties().remove(LateInputGuard.PROPERTY) instanceof LateInputGuard.Handle guard) {
            guard.closed(); // else Payara may serve the client's next bytes as a new request (LateInputGuard)
        }
        Object connection = session.getUserProperties().get(CONNECTION);
        if (connection instanceof ClientConnection client) {
            metrics.closed(closeReason == null ? 1005 : closeReason.getCloseCode().getCode());
            client.closed(); // before disconnect is queued: a subscribe queued after it sees the socket closed
            connections.remove(client);
            dispatcher.disconnect(client);
        }
        if (session.getUserProperties().get(EXPIRY) instanceof ScheduledFuture<?> expiry) {
            expiry.cancel(false);
        }
        // else Payara's recycled request keeps this socket (ClosedSocketRelease)
        workarounds.closedRelease().closed(session);
    }

    @Override
    public void onError(Session session, Throwable error) {
        // a client that vanishes or breaks the protocol is routine, not a server fault
        LOG.log(Level.FINE, "Rowcast: socket error on " + session.getId(), error);
    }
}
