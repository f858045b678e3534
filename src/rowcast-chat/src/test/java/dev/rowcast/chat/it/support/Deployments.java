package dev.rowcast.chat.it.support;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.net.MalformedURLException;
import java.net.URL;
import java.util.HashMap;
import java.util.Map;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import dev.rowcast.chat.it.fuzz.FuzzSettings;
import dev.rowcast.chat.it.probe.AdminNote;
import dev.rowcast.chat.it.probe.BatchedNote;
import dev.rowcast.chat.it.probe.BatchedNoteResource;
import dev.rowcast.chat.it.probe.CaptureProbeResource;
import dev.rowcast.chat.it.probe.ChangeRecorder;
import dev.rowcast.chat.it.probe.DecodedNote;
import dev.rowcast.chat.it.probe.DelayedCompletionResource;
import dev.rowcast.chat.it.probe.DenyListFilter;
import dev.rowcast.chat.it.probe.FatalRowFilter;
import dev.rowcast.chat.it.probe.FlakyReplayStore;
import dev.rowcast.chat.it.probe.FragileNote;
import dev.rowcast.chat.it.probe.FragileNoteResource;
import dev.rowcast.chat.it.probe.LargeNote;
import dev.rowcast.chat.it.probe.HeapProbeResource;
import dev.rowcast.chat.it.probe.LocalTransactionResource;
import dev.rowcast.chat.it.probe.MessageMirror;
import dev.rowcast.chat.it.probe.ProbeDecoder;
import dev.rowcast.chat.it.probe.ProbeReplayStore;
import dev.rowcast.chat.it.probe.ProbeResource;
import dev.rowcast.chat.it.probe.SchemaNote;
import dev.rowcast.chat.it.probe.SecretNote;
import dev.rowcast.chat.it.probe.SecretNoteResource;
import dev.rowcast.chat.it.probe.SlowAuthorizer;
import dev.rowcast.chat.it.probe.StallingObserver;
import dev.rowcast.chat.it.probe.TalkProbes;
import dev.rowcast.chat.it.probe.ThrowingRowFilter;

/** The archives the suites deploy: the WAR Maven built, as a user would deploy it, plus test probes. */
public final class Deployments {

    private Deployments() {
    }

    /** The reference WAR exactly as built by {@code mvn package}, deployed at context root / as in the demo. */
    public static WebArchive chatWar() {
        String path = System.getProperty("rowcast.it.war", "target/rowcast-chat.war");
        return ShrinkWrap.create(WebArchive.class, "ROOT.war")
                .merge(ShrinkWrap.createFromZipFile(WebArchive.class, new File(path)));
    }

    /**
     * The deployment's base URL on loopback. Payara Micro reports the machine's external address; tests only ever
     * talk to 127.0.0.1.
     */
    public static URL loopback(URL reported) {
        try {
            return new URL("http", "127.0.0.1", reported.getPort(), "/");
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * The reference WAR with a replay window of 16 frames per stream, so tests can overrun it quickly, a probe
     * entity whose snapshot always fails, and a probe that holds a commit's after-completion back.
     */
    public static WebArchive chatWarForDeliverySemantics() {
        WebArchive war = withContextParams(chatWar(), Map.of("rowcast.replay.framesPerStream", "16"));
        war.delete("WEB-INF/classes/META-INF/persistence.xml");
        return war.addClasses(FragileNote.class, FragileNoteResource.class, DelayedCompletionResource.class)
                .addAsResource("it/semantics-persistence.xml", "META-INF/persistence.xml");
    }

    /**
     * The reference WAR with tight inbound limits, so tests reach them in seconds (the outbound bound stays at its
     * default); the rate limit's strikes come from MicroProfile Config. Heartbeats are off: a client that stops
     * reading would otherwise be closed for missing pongs before it falls behind.
     */
    public static WebArchive chatWarForEngine() {
        WebArchive war = withContextParams(chatWar(), Map.of(
                "rowcast.heartbeat.intervalMillis", "0",
                "rowcast.inbound.ratePerSecond", "20",
                "rowcast.inbound.burst", "20"));
        war.delete("WEB-INF/classes/META-INF/persistence.xml");
        return war.addClasses(BatchedNote.class, BatchedNoteResource.class, BatchedNoteResource.Writer.class)
                .addAsResource("it/engine-persistence.xml", "META-INF/persistence.xml")
                .addAsResource("it/engine-microprofile-config.properties", "META-INF/microprofile-config.properties");
    }

    /**
     * The reference WAR with an observer that can stall or throw an Error, a row filter that throws an Error, and
     * every engine bound small enough to reach in seconds: 16 queued changes, 16 KiB per socket, a unit of work stuck
     * after 1 s, catch-up budgets of 10 replayed events and 1 snapshot per second (bursts of 20 and 3).
     */
    public static WebArchive chatWarForHardening() {
        Map<String, String> params = new java.util.LinkedHashMap<>();
        params.put("rowcast.dispatch.queueCapacity", "16");
        params.put("rowcast.dispatch.stuckMillis", "1000");
        params.put("rowcast.outbound.maxQueuedBytes", "16384");
        params.put("rowcast.catchUp.eventsPerSecond", "10");
        params.put("rowcast.catchUp.eventsBurst", "20");
        params.put("rowcast.catchUp.snapshotsPerSecond", "1");
        params.put("rowcast.catchUp.snapshotsBurst", "3");
        return withContextParams(chatWar(), params).addClasses(StallingObserver.class,
                StallingObserver.ProbeError.class, FatalRowFilter.class);
    }

    /**
     * The reference WAR with a replay store whose connection drops for a moment ({@link FlakyReplayStore}): a
     * message whose body says so resets its stream, and the first subscriber's resync then fails.
     */
    public static WebArchive chatWarForSubscriptionLoss() {
        return chatWar().addClasses(FlakyReplayStore.class);
    }

    /**
     * The reference WAR (admin page on, for role admin) with a 16 KiB outbound bound, so a client that stops reading
     * is cut with 4499 after a few messages; heartbeats off, so only that bound cuts it.
     */
    public static WebArchive chatWarForOperability() {
        return withContextParams(chatWar(), Map.of(
                "rowcast.outbound.maxQueuedBytes", "16384",
                "rowcast.heartbeat.intervalMillis", "0"));
    }

    /**
     * The reference WAR with a send window small enough that a client which stops reading makes frames queue on the
     * server (half of 64 KiB).
     */
    public static WebArchive chatWarForSending() {
        return withContextParams(chatWar(), Map.of("rowcast.outbound.maxQueuedBytes", "65536"));
    }

    /**
     * The reference WAR for the fuzzer: the default inbound limits, named so the fuzzer's oracle and the server
     * agree, a probe that reports the heap after a full GC, and a channel for role admin only ({@code admin_note}).
     */
    public static WebArchive chatWarForFuzz() {
        WebArchive war = withContextParams(chatWar(), Map.of(
                "rowcast.inbound.ratePerSecond", String.valueOf(FuzzSettings.SERVER_RATE),
                "rowcast.inbound.burst", String.valueOf(FuzzSettings.SERVER_BURST),
                "rowcast.inbound.rateLimitStrikes", String.valueOf(FuzzSettings.STRIKES)));
        war.delete("WEB-INF/classes/META-INF/persistence.xml");
        return war.addClasses(HeapProbeResource.class, AdminNote.class, SecretNote.class)
                .addAsResource("it/security-persistence.xml", "META-INF/persistence.xml");
    }

    /** The reference WAR with heartbeats every 300 ms and a 700 ms pong timeout. */
    public static WebArchive chatWarForHeartbeats() {
        return withContextParams(chatWar(), Map.of(
                "rowcast.heartbeat.intervalMillis", "300",
                "rowcast.heartbeat.timeoutMillis", "700",
                "rowcast.security.maxConnectionAgeSeconds", "10"));
    }

    /** The heartbeat suite's WAR (pings every 300 ms, 700 ms pong timeout, sockets without expiry live 10 s). */
    public static WebArchive chatWarForUpgradeRelease() {
        return withContextParams(chatWar(), upgradeReleaseParams(true));
    }

    /**
     * The upgrade-release WAR with every container workaround off: the release of upgrade requests, the idle-timer
     * bypass, pre-framed sends, the release of closed sockets, the small write buffer and the late-input guard. One
     * deployment proves each off path, which has its own setting.
     */
    public static WebArchive chatWarWithWorkaroundsOff() {
        Map<String, String> params = new HashMap<>(upgradeReleaseParams(false));
        params.put("rowcast.outbound.idleTimerBypass", "false");
        params.put("rowcast.container.releaseClosedSockets", "false");
        params.put("rowcast.outbound.smallWriteBuffer", "false");
        params.put("rowcast.outbound.preframed", "false");
        params.put("rowcast.container.dropInputAfterClose", "false");
        return withContextParams(chatWar(), params);
    }

    private static Map<String, String> upgradeReleaseParams(boolean release) {
        return Map.of(
                "rowcast.heartbeat.intervalMillis", "300",
                "rowcast.heartbeat.timeoutMillis", "700",
                "rowcast.security.maxConnectionAgeSeconds", "10",
                "rowcast.connection.releaseUpgradeRequest", String.valueOf(release));
    }

    /**
     * The reference WAR capturing its message table from the database (triggers installed at deployment), plus a
     * JPA-captured mirror of that table, a large-row table captured by annotation, a table in a schema of its own, a
     * table with the application's own NOTIFY trigger and its decoder, and a probe resource. Sockets may hold 4 MiB,
     * for the 1 MB row.
     */
    public static WebArchive chatWarForDatabaseCapture() {
        WebArchive war = withContextParams(chatWar(), Map.of(
                "rowcast.capture.database", "message",
                "rowcast.capture.installTriggers", "true",
                "rowcast.outbound.maxQueuedBytes", String.valueOf(4 * 1024 * 1024)));
        war.delete("WEB-INF/classes/META-INF/persistence.xml");
        return war.addClasses(MessageMirror.class, LargeNote.class, CaptureProbeResource.class, DecodedNote.class,
                ProbeDecoder.class, SchemaNote.class)
                .addAsResource("it/capture-persistence.xml", "META-INF/persistence.xml");
    }

    /**
     * The reference WAR with talk-back probes ({@code TalkProbes}), broadcasts throttled to one per 300 ms, and
     * heartbeats every 300 ms with a 700 ms pong timeout, so a dropped client leaves presence within a second.
     */
    public static WebArchive chatWarForTalk() {
        return withContextParams(chatWar(), Map.of(
                "rowcast.broadcast.throttleMillis", "300",
                "rowcast.broadcast.maxBytes", "512",
                "rowcast.heartbeat.intervalMillis", "300",
                "rowcast.heartbeat.timeoutMillis", "700"))
                .addClasses(TalkProbes.class);
    }

    /**
     * The reference WAR with these settings and its unit extended by these entities (hibernate.hbm2ddl.auto=update,
     * as the chat's own unit).
     */
    public static WebArchive chatWarWithEntities(Map<String, String> params, Class<?>... entities) {
        StringBuilder classes = new StringBuilder();
        for (Class<?> entity : entities) {
            classes.append("        <class>").append(entity.getName()).append("</class>\n");
        }
        String unit = """
                <?xml version="1.0" encoding="UTF-8"?>
                <persistence xmlns="https://jakarta.ee/xml/ns/persistence" version="3.0">
                    <persistence-unit name="chat" transaction-type="JTA">
                        <provider>org.hibernate.jpa.HibernatePersistenceProvider</provider>
                        <jta-data-source>java:comp/DefaultDataSource</jta-data-source>
                        <class>dev.rowcast.chat.domain.Conversation</class>
                        <class>dev.rowcast.chat.domain.ConversationMember</class>
                        <class>dev.rowcast.chat.domain.Message</class>
                %s        <exclude-unlisted-classes>true</exclude-unlisted-classes>
                        <properties>
                            <property name="hibernate.transaction.jta.platform" value="SunOne"/>
                            <property name="hibernate.enhancer.enableDirtyTracking" value="false"/>
                            <property name="hibernate.enhancer.enableLazyInitialization" value="false"/>
                            <property name="hibernate.hbm2ddl.auto" value="update"/>
                        </properties>
                    </persistence-unit>
                </persistence>
                """.formatted(classes);
        WebArchive war = withContextParams(chatWar(), params);
        war.delete("WEB-INF/classes/META-INF/persistence.xml");
        return war.addClasses(entities).addAsResource(new StringAsset(unit), "META-INF/persistence.xml");
    }

    /**
     * The reference WAR with the late-input guard on or off ({@code rowcast.container.dropInputAfterClose}), and
     * sockets that the server closes itself after a second (4401, from a timer thread, as a heartbeat timeout or a
     * rate limit does); heartbeats off.
     */
    public static WebArchive chatWarForLateInput(boolean guard) {
        return withContextParams(chatWar(), Map.of(
                "rowcast.heartbeat.intervalMillis", "0",
                "rowcast.security.maxConnectionAgeSeconds", "1",
                "rowcast.container.dropInputAfterClose", String.valueOf(guard)));
    }

    /** The WAR's own web.xml with context-params added, security constraints and all. */
    static WebArchive withContextParams(WebArchive war, Map<String, String> params) {
        String webXml;
        try (InputStream in = war.get("WEB-INF/web.xml").getAsset().openStream()) {
            webXml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder added = new StringBuilder();
        params.forEach((name, value) -> added.append("    <context-param><param-name>").append(name)
                .append("</param-name><param-value>").append(value).append("</param-value></context-param>\n"));
        String patched = webXml.replace("</display-name>\n", "</display-name>\n" + added);
        war.delete("WEB-INF/web.xml");
        return war.setWebXML(new StringAsset(patched));
    }

    /**
     * The reference WAR plus a row filter that throws for bob, an entity with an admin-only column, a slow (or
     * hanging) asynchronous authorizer for some of its topics, a deny-list row filter on that entity, and a probe that
     * reports the heap after a full GC.
     */
    public static WebArchive chatWarForSecurity() {
        WebArchive war = chatWar();
        war.delete("WEB-INF/classes/META-INF/persistence.xml");
        return war.addClasses(ThrowingRowFilter.class, SecretNote.class, SecretNoteResource.class, AdminNote.class,
                SlowAuthorizer.class, DenyListFilter.class, HeapProbeResource.class)
                .addAsResource("it/security-persistence.xml", "META-INF/persistence.xml");
    }

    /**
     * The security suite's WAR with the message and secret_note tables captured from the database (triggers installed
     * at deployment), so the same oracle judges writes made by plain JDBC.
     */
    public static WebArchive chatWarForCaptureSecurity() {
        WebArchive war = chatWarForSecurity();
        return withContextParams(war, Map.of(
                "rowcast.capture.database", "message, secret_note",
                "rowcast.capture.installTriggers", "true"));
    }

    /**
     * The reference WAR plus probes: an application observer of {@code @Reactive EntityChange}, a second,
     * RESOURCE_LOCAL persistence unit over the same tables with a resource that writes through it, and the
     * application's own replay store.
     */
    public static WebArchive chatWarWithProbes() {
        JavaArchive localUnit = ShrinkWrap.create(JavaArchive.class, "chat-local-unit.jar")
                .addAsManifestResource("it/local-persistence.xml", "persistence.xml");
        return chatWar()
                .addClasses(ChangeRecorder.class, ProbeResource.class, LocalTransactionResource.class,
                        ProbeReplayStore.class)
                .addAsLibrary(localUnit);
    }
}
