package dev.rowcast.chat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import dev.rowcast.chat.it.support.DeployedChat;
import dev.rowcast.chat.it.support.Deployments;
import dev.rowcast.chat.it.support.Metrics;
import dev.rowcast.chat.it.support.WsClient;

/** With {@code rowcast.outbound.idleTimerBypass=false} nothing is bypassed, and delivery is the same. */
class SendingWithoutBypassIT extends DeployedChat {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.chatWarForSending(false);
    }

    @Test
    void should_leave_the_idle_timer_alone_and_still_deliver() throws Exception {
        long conversation = api.createConversation("no bypass");
        try (WsClient alice = WsClient.connect(base)) {
            alice.subscribeConversation(conversation);
            for (int i = 0; i < 5; i++) {
                api.postMessage(conversation, "plain " + i);
                assertEquals("plain " + i, alice.next("change").getJsonObject("event").getJsonObject("row")
                        .getString("body"));
            }
        }
        Metrics after = Metrics.scrape(base);
        assertEquals(0, after.value("rowcast_idle_timer_bypassed_total", ""), after.rowcast());
        assertEquals(0, after.value("rowcast_idle_timer_rearms_skipped_total", ""), after.rowcast());
    }
}
