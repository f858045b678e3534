package dev.rowcast.chat.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import dev.rowcast.chat.it.support.Deployments;

/** The container's write buffer made small at each handshake (the default). */
class WriteBufferIT extends WriteBufferChecks {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.chatWarForWriteBuffer(true);
    }

    @Override
    boolean shrinks() {
        return true;
    }
}
