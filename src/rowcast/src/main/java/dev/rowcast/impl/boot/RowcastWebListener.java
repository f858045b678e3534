package dev.rowcast.impl.boot;

import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.HttpConstraintElement;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletSecurityElement;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;

import dev.rowcast.RowcastConfigurationException;
import dev.rowcast.impl.admin.AdminChannel;
import dev.rowcast.impl.admin.AdminServlet;
import dev.rowcast.impl.bridge.ReactiveChannels;
import dev.rowcast.impl.cluster.ClusterMode;
import dev.rowcast.impl.config.RowcastSettings;
import dev.rowcast.impl.dispatch.ChangeDispatcher;
import dev.rowcast.impl.metrics.RowcastMetrics;
import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.outbox.DatabaseCapture;
import dev.rowcast.impl.protocol.Frames;
import dev.rowcast.impl.security.HandshakeIdentities;
import dev.rowcast.impl.security.OriginFilter;
import dev.rowcast.impl.security.SubscriptionGate;
import dev.rowcast.impl.socket.Connections;
import dev.rowcast.impl.socket.ContainerWorkarounds;
import dev.rowcast.impl.socket.SmallWriteBuffer;
import dev.rowcast.impl.socket.RowcastEndpoint;
import dev.rowcast.impl.socket.Senders;
import dev.rowcast.spi.ReplayStore;

/**
 * The composition root: starts Rowcast with the web application. Reads the settings, builds and starts the
 * dispatcher from the CDI beans, guards the endpoint path with the origin check, and deploys the endpoint. Declared
 * in the jar's web-fragment.xml. Nothing else in Rowcast wires components together or calls {@code CDI.current()}.
 */
public class RowcastWebListener implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(RowcastWebListener.class.getName());
    private static final int AUTHORIZER_THREADS = 8;
    private static final int AUTHORIZER_QUEUE = 10_000;

    private ChangeDispatcher dispatcher;
    private DatabaseCapture capture;
    private ClusterMode cluster;
    private ScheduledExecutorService timers;
    private ExecutorService authorizerThreads;
    private RowcastSubscriptions subscriptions;
    private final Connections connections = new Connections();
    private RowcastSettings settings;
    private RowcastMetrics metrics;
    private AdminChannel admin;
    private TalkBack talkBack;
    private Senders senders;
    private ContainerWorkarounds workarounds;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        try {
            start(context);
        } catch (RowcastConfigurationException e) {
            LOG.severe(e::summary); // first, above the container's report
            throw e;
        }
    }

    private void start(ServletContext context) {
        settings = RowcastSettings.read(new SettingSources(context)::lookup);
        ServerContainer container = (ServerContainer) context.getAttribute(ServerContainer.class.getName());
        if (container == null) {
            throw new RowcastConfigurationException("The server offers no Jakarta WebSocket container to "
                    + context.getContextPath() + ". Fix: deploy on a Jakarta EE 10 web profile server such as Payara.");
        }
        // resolved here, once: CDI.current() is not reliable later in socket callbacks on every server
        RowcastBeans beans = CDI.current().select(RowcastBeans.class).get();
        ManagedThreadFactory threads = beans.threads();
        // MicroProfile Metrics only when the server has it: the library deploys without it
        metrics = new RowcastMetrics(MicroProfileMeters.available() ? MicroProfileMeters.create()
                : dev.rowcast.impl.metrics.Meters.local());
        ReactiveChannels.all().forEach(model -> metrics.channel(model.channel())); // scraped as 0 from the start
        // cluster mode: positions and history in Redis, the outbox relayed by one instance, read by all
        cluster = settings.cluster().enabled()
                ? ClusterMode.connect(settings, ReactiveChannels.all(), beans.replayStore().isPresent(),
                        metrics.meters())
                : null;
        dispatcher = new ChangeDispatcher(settings, cluster != null
                ? Optional.<ReplayStore>of(cluster.replayStore()) : beans.replayStore(), beans.rowFilters(),
                beans.observers(), threads, beans.executor(), metrics);
        talkBack = new TalkBack(settings, beans, threads, dispatcher);
        dispatcher.start();
        try {
            if (cluster != null) {
                cluster.start(threads, dispatcher::resyncFollowed);
            }
            capture = DatabaseCapture.start(settings, ReactiveChannels.all(), threads,
                    cluster == null ? null : cluster.relay(), metrics.meters(), beans.notificationDecoders());
        } catch (RuntimeException e) {
            if (cluster != null) {
                cluster.stop();
            }
            dispatcher.stop();
            throw e;
        }
        ScheduledThreadPoolExecutor timerThread = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = threads.newThread(runnable);
            thread.setName("rowcast-timers");
            thread.setDaemon(true);
            return thread;
        });
        // a closed socket cancels its expiry, due up to a day later: without this, the cancelled task stays queued
        // until then, one per connection ever closed
        timerThread.setRemoveOnCancelPolicy(true);
        timers = timerThread;
        if (settings.heartbeatIntervalMillis() > 0) {
            timers.scheduleWithFixedDelay(guarded("heartbeat", () -> connections.heartbeat(
                    settings.heartbeatTimeoutMillis())), settings.heartbeatIntervalMillis(),
                    settings.heartbeatIntervalMillis(), TimeUnit.MILLISECONDS);
        }
        // the watchdog looks a few times per stuck bound, at most once a second
        long watchEvery = Math.max(50, Math.min(1_000, settings.engine().stuckMillis() / 4));
        timers.scheduleWithFixedDelay(guarded("watchdog", dispatcher::watch), watchEvery, watchEvery,
                TimeUnit.MILLISECONDS);

        // isMatchAfter = false: the origin check runs before the container's WebSocket upgrade filter
        context.addFilter("rowcast-origin", new OriginFilter(settings.allowedOrigins()))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, settings.endpointPath());
        if (settings.outbound().smallWriteBuffer()) {
            context.addFilter("rowcast-write-buffer", new SmallWriteBuffer(metrics::writeBufferShrunk))
                    .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, settings.endpointPath());
        }

        Set<String> talkRoles = talkBack.roles();
        HandshakeIdentities identities = new HandshakeIdentities(() -> knownRoles(settings, talkRoles),
                beans.expiries(),
                Duration.ofSeconds(settings.maxConnectionAgeSeconds()));
        authorizerThreads = authorizerThreads(threads);
        SubscriptionGate gate = new SubscriptionGate(beans.authorizers(), authorizerThreads,
                Duration.ofMillis(settings.authorizerTimeoutMillis()));
        senders = Senders.start(settings.outbound().senderThreads(), threads);
        workarounds = ContainerWorkarounds.of(settings, threads, timers, metrics);
        RowcastEndpoint endpoint = new RowcastEndpoint(dispatcher, gate, identities, timers, connections,
                senders, workarounds, settings, metrics, talkBack.talk,
                talkBack.proposals, talkBack::group,
                cluster != null && settings.cluster().userSubscribesPerSecond() > 0 ? cluster::allowSubscribe : null);
        if (settings.admin().enabled()) {
            startAdmin(context);
        }
        ServerEndpointConfig config = ServerEndpointConfig.Builder.create(RowcastEndpoint.class, settings.endpointPath())
                .subprotocols(List.of(Frames.SUBPROTOCOL_V2))
                .configurator(new RowcastConfigurator(endpoint, identities))
                .build();
        try {
            container.addEndpoint(config);
        } catch (DeploymentException e) {
            throw new RowcastConfigurationException("Cannot deploy the Rowcast endpoint at " + settings.endpointPath()
                    + ": " + e.getMessage() + ". Fix: choose another " + RowcastSettings.ENDPOINT_PATH + ".");
        }
        subscriptions = beans.subscriptions();
        subscriptions.started(dispatcher, gate, connections);
        beans.engine(dispatcher); // readiness: UP from here
        LOG.info(() -> "Rowcast: endpoint ready at " + context.getContextPath() + settings.endpointPath());
    }

    /**
     * The admin page: its figures as a channel only the admin role may follow, and the page itself behind a security
     * constraint for that role.
     */
    private void startAdmin(ServletContext context) {
        RowcastSettings.Admin settings = this.settings.admin();
        admin = new AdminChannel(metrics, dispatcher::health, settings.role());
        java.util.List<String> problems = admin.register();
        if (!problems.isEmpty()) {
            admin = null;
            throw new RowcastConfigurationException(problems.stream().map(problem -> problem + " (The admin page "
                    + "uses channel '" + AdminChannel.CHANNEL + "'; rename the application's channel.)").toList());
        }
        metrics.channel(AdminChannel.CHANNEL);
        timers.scheduleAtFixedRate(guarded("admin figures", () -> admin.tick(dispatcher)), 1, 1, TimeUnit.SECONDS);
        try {
            context.declareRoles(settings.role());
        } catch (IllegalArgumentException | IllegalStateException e) {
            LOG.log(Level.FINE, "Rowcast: role " + settings.role() + " is declared already", e);
        }
        ServletRegistration.Dynamic servlet = context.addServlet("rowcast-admin", new AdminServlet(this.settings));
        if (servlet == null) {
            throw new RowcastConfigurationException("A servlet named rowcast-admin exists already. Fix: rename it, or "
                    + "leave " + RowcastSettings.ADMIN_PATH + " out.");
        }
        servlet.addMapping(settings.path(), settings.path() + "/*");
        servlet.setServletSecurity(new ServletSecurityElement(new HttpConstraintElement(
                jakarta.servlet.annotation.ServletSecurity.TransportGuarantee.NONE, settings.role())));
        LOG.info(() -> "Rowcast: admin page at " + context.getContextPath() + settings.path() + " for role "
                + settings.role());
    }

    /** A periodic task that throws would be cancelled for good by the executor; this one logs and runs again. */
    private static Runnable guarded(String name, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (Throwable e) {
                LOG.log(Level.SEVERE, "ROWCAST-003: the " + name + " failed; it runs again at its next turn", e);
            }
        };
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (subscriptions != null) {
            subscriptions.stopped();
        }
        if (capture != null) {
            capture.stop(); // before the dispatcher: what it has not read stays in the outbox
        }
        if (cluster != null) {
            cluster.stop(); // what it has not read stays in the log
        }
        if (dispatcher != null) {
            dispatcher.stop(); // delivers what was committed before the stop
            connections.closeAll(settings.shutdownFlushMillis());
        }
        if (timers != null) {
            timers.shutdownNow();
        }
        if (senders != null) {
            senders.stop(); // after closeAll: the close frames went out through them
        }
        if (workarounds != null) {
            workarounds.stop();
        }
        if (authorizerThreads != null) {
            authorizerThreads.shutdownNow();
        }
        if (talkBack != null) {
            talkBack.stop();
        }
        if (admin != null) {
            admin.unregister();
        }
        if (metrics != null) {
            metrics.close();
        }
    }

    /**
     * Where subscription authorizers run: the container's managed threads carry the application's context, so an
     * authorizer can use JPA and CDI, which fail on the container's socket threads. Bounded, so a flood of subscribes
     * is refused (and denied) rather than queued without end.
     */
    private static ExecutorService authorizerThreads(ManagedThreadFactory threads) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(AUTHORIZER_THREADS, AUTHORIZER_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(AUTHORIZER_QUEUE), runnable -> {
                    Thread thread = threads.newThread(runnable);
                    thread.setName("rowcast-authorizer");
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** The roles recorded at each handshake: configured ones and those the entities name. */
    private static Set<String> knownRoles(RowcastSettings settings, Set<String> talkRoles) {
        Set<String> roles = new HashSet<>(settings.securityRoles());
        roles.addAll(talkRoles);
        for (ReactiveEntityModel model : ReactiveChannels.all()) {
            roles.addAll(model.rolesAllowed());
            model.visibleTo().values().forEach(roles::addAll);
        }
        return roles;
    }

    /** Hands the container our one endpoint instance, and records each caller while the request is at hand. */
    private static final class RowcastConfigurator extends ServerEndpointConfig.Configurator {

        private final RowcastEndpoint endpoint;
        private final HandshakeIdentities identities;

        RowcastConfigurator(RowcastEndpoint endpoint, HandshakeIdentities identities) {
            this.endpoint = endpoint;
            this.identities = identities;
        }

        @Override
        public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request,
                HandshakeResponse response) {
            identities.capture(request);
        }

        @Override
        public <T> T getEndpointInstance(Class<T> endpointClass) {
            return endpointClass.cast(endpoint);
        }
    }

}
