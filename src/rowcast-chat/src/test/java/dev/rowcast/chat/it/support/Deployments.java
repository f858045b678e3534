package dev.rowcast.chat.it.support;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.net.MalformedURLException;
import java.net.URL;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import dev.rowcast.chat.it.fuzz.FuzzSettings;
import dev.rowcast.chat.it.probe.AdminNote;
import dev.rowcast.chat.it.probe.BatchedNote;
import dev.rowcast.chat.it.probe.BatchedNoteResource;
import dev.rowcast.chat.it.probe.ChangeRecorder;
import dev.rowcast.chat.it.probe.DelayedCompletionResource;
import dev.rowcast.chat.it.probe.FragileNote;
import dev.rowcast.chat.it.probe.FragileNoteResource;
import dev.rowcast.chat.it.probe.HeapProbeResource;
import dev.rowcast.chat.it.probe.LocalTransactionResource;
import dev.rowcast.chat.it.probe.ProbeReplayStore;
import dev.rowcast.chat.it.probe.ProbeResource;
import dev.rowcast.chat.it.probe.SecretNote;
import dev.rowcast.chat.it.probe.SecretNoteResource;
import dev.rowcast.chat.it.probe.SlowAuthorizer;
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
     * The reference WAR for the fuzzer: the default inbound limits, named so the fuzzer's oracle and the server
     * agree, and a probe that reports the heap after a full GC.
     */
    public static WebArchive chatWarForFuzz() {
        return withContextParams(chatWar(), Map.of(
                "rowcast.inbound.ratePerSecond", String.valueOf(FuzzSettings.SERVER_RATE),
                "rowcast.inbound.burst", String.valueOf(FuzzSettings.SERVER_BURST),
                "rowcast.inbound.rateLimitStrikes", String.valueOf(FuzzSettings.STRIKES)))
                .addClass(HeapProbeResource.class);
    }

    /** The reference WAR with heartbeats every 300 ms and a 700 ms pong timeout. */
    public static WebArchive chatWarForHeartbeats() {
        return withContextParams(chatWar(), Map.of(
                "rowcast.heartbeat.intervalMillis", "300",
                "rowcast.heartbeat.timeoutMillis", "700"));
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
     * The reference WAR plus a row filter that throws for bob, an entity with an admin-only column, and a slow,
     * asynchronous authorizer for some of its topics.
     */
    public static WebArchive chatWarForSecurity() {
        WebArchive war = chatWar();
        war.delete("WEB-INF/classes/META-INF/persistence.xml");
        return war.addClasses(ThrowingRowFilter.class, SecretNote.class, SecretNoteResource.class, AdminNote.class,
                SlowAuthorizer.class)
                .addAsResource("it/security-persistence.xml", "META-INF/persistence.xml");
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
