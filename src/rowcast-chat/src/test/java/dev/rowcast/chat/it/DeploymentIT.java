package dev.rowcast.chat.it;

import static dev.rowcast.chat.it.support.DeploymentLog.assertContains;
import static dev.rowcast.chat.it.support.DeploymentLog.assertFirstSevere;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import dev.rowcast.chat.it.misconfigured.CollectionScopeNote;
import dev.rowcast.chat.it.misconfigured.NotAnEntity;
import dev.rowcast.chat.it.misconfigured.TemporalScopeNote;
import dev.rowcast.chat.it.misconfigured.UnknownScopeNote;
import dev.rowcast.chat.it.support.Deployments;
import dev.rowcast.chat.it.support.PayaraProcess;
import dev.rowcast.chat.it.support.WsClient;

/**
 * Deployments as an operator sees them, on a real Payara Micro: a wrong {@code @Reactive} fails with a log that says
 * what to fix; the unmodified WAR deploys and, when the server stops, closes its sockets with 1001.
 */
class DeploymentIT {

    @Test
    void should_fail_deployment_naming_each_bad_scope_and_its_fix() throws Exception {
        WebArchive war = Deployments.chatWar()
                .addClasses(UnknownScopeNote.class, CollectionScopeNote.class, TemporalScopeNote.class)
                .addAsResource("it/misconfigured-persistence.xml", "META-INF/persistence.xml");
        try (PayaraProcess payara = PayaraProcess.deploy(war)) {
            String log = payara.log();
            assertContains(log, "@Reactive entity " + UnknownScopeNote.class.getName()
                    + " names scope 'conversation_id', but it has no such attribute. Known attributes: id, "
                    + "conversation. Fix: 'conversation_id' is the column of attribute 'conversation'; write "
                    + "@Reactive(scopes = \"conversation\").");
            assertContains(log, "@Reactive entity " + CollectionScopeNote.class.getName()
                    + " names scope 'tags', but that attribute is a collection, which cannot be a scope. Fix:");
            assertContains(log, "@Reactive entity " + TemporalScopeNote.class.getName()
                    + " names scope 'createdAt' of type java.time.Instant, which cannot be a scope");
            assertContains(log, "Exception while preparing the app");
            assertFirstSevere(log, "Rowcast cannot start, so this application is not deployed (the server keeps "
                    + "running and answers 404): 3 configuration problem(s). First: @Reactive entity ");
            assertEquals(404, payara.get("/"), "the application must not be deployed");
        }
    }

    @Test
    void should_fail_deployment_when_reactive_marks_a_type_that_is_no_entity() throws Exception {
        WebArchive war = Deployments.chatWar().addClass(NotAnEntity.class);
        try (PayaraProcess payara = PayaraProcess.deploy(war)) {
            assertContains(payara.log(), "@Reactive is on " + NotAnEntity.class.getName()
                    + ", which is not a JPA @Entity. Fix:");
            assertFirstSevere(payara.log(), "Rowcast cannot start, so this application is not deployed");
            assertEquals(404, payara.get("/"), "the application must not be deployed");
        }
    }

    /**
     * The control: the same WAR without the mistakes deploys, so the 404s above mean "not deployed". Then a graceful
     * shutdown closes its sockets with 1001.
     */
    @Test
    void should_deploy_the_unmodified_war_and_close_sockets_with_1001_on_shutdown() throws Exception {
        WsClient client;
        try (PayaraProcess payara = PayaraProcess.deploy(Deployments.chatWar())) {
            assertEquals(200, payara.get("/"), "the reference WAR serves its page at /");
            assertContains(payara.log(), "Rowcast: endpoint ready at /ws");
            // the reference WAR observes no EntityChange; the container's own observers (of @Initialized Object and
            // the like) cannot receive one, so the event is not fired per change
            assertContains(payara.log(), "Rowcast: observers of @Reactive EntityChange: none");
            client = WsClient.connect(payara.base(), "alice");
            assertEquals("pong", client.request("{\"type\":\"ping\"}").getString("type"));
        }
        assertEquals(1001, client.closeCode(), "going away");
        assertEquals("server shutting down", client.closeReason(), "closed by Rowcast, not by the container");
    }
}
