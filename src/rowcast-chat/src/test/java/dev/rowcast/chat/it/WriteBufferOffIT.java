package dev.rowcast.chat.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import dev.rowcast.chat.it.support.Deployments;

/** With {@code rowcast.outbound.smallWriteBuffer=false} the container keeps its buffer, and delivery is the same. */
class WriteBufferOffIT extends WriteBufferChecks {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.chatWarForWriteBuffer(false);
    }

    @Override
    boolean shrinks() {
        return false;
    }
}
