package dev.flowline.testing;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;

/**
 * What the client-side API tests share: they run in the test JVM against the WAR of their own
 * {@code @Deployment(testable = false)}, each test with a new {@link ApiClient} on it.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
public abstract class ApiOverHttp {

    /** The password the tests' accounts sign up with. */
    protected static final String PASSWORD = "correct horse battery";

    /** Arquillian's URL of the deployed WAR. */
    @ArquillianResource
    protected URL deploymentUrl;

    protected ApiClient api;

    @BeforeEach
    protected void newApiClient() {
        api = new ApiClient(deploymentUrl);
    }
}
