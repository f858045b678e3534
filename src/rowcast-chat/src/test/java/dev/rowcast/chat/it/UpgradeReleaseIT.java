package dev.rowcast.chat.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import dev.rowcast.chat.it.support.Deployments;

/** {@link UpgradeReleaseChecks} with {@code rowcast.connection.releaseUpgradeRequest=true} (the default). */
class UpgradeReleaseIT extends UpgradeReleaseChecks {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.chatWarForUpgradeRelease();
    }

    @Override
    boolean releases() {
        return true;
    }
}
