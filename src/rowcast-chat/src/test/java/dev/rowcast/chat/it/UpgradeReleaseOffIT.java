package dev.rowcast.chat.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import dev.rowcast.chat.it.support.Deployments;

/** {@link UpgradeReleaseChecks} with {@code rowcast.connection.releaseUpgradeRequest=false}. */
class UpgradeReleaseOffIT extends UpgradeReleaseChecks {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.chatWarForUpgradeRelease(false);
    }

    @Override
    boolean releases() {
        return false;
    }
}
