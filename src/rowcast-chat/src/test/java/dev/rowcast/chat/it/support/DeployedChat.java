package dev.rowcast.chat.it.support;

import java.net.URL;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A suite that runs as a client of one Payara Micro deployment (each subclass declares its {@code @Deployment}),
 * talking to it over loopback as alice unless a test says otherwise.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
public abstract class DeployedChat {

    @ArquillianResource
    protected URL reported;

    protected URL base;
    protected ChatApi api;

    @BeforeEach
    void connectToDeployment() {
        base = Deployments.loopback(reported);
        api = new ChatApi(base);
    }
}
