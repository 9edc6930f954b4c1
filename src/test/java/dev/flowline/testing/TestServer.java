package dev.flowline.testing;

import java.net.URI;

/**
 * Which server the Arquillian tests run on (failsafe's {@code flowline.test.server}: Payara Micro unless the WildFly
 * leg says {@code wildfly}) and where it serves what differs between them.
 */
public final class TestServer {

    /** arquillian-wildfly.xml: WildFly's management port 9990 plus the leg's offset of 1000. */
    private static final URI WILDFLY_MANAGEMENT = URI.create("http://127.0.0.1:10990");

    private TestServer() {
    }

    public static boolean isWildFly() {
        return "wildfly".equals(System.getProperty("flowline.test.server"));
    }

    /**
     * Where {@code /health} and {@code /metrics} are: Payara serves them beside the application ({@code httpRoot});
     * WildFly on its management interface.
     */
    public static URI operations(URI httpRoot) {
        return isWildFly() ? WILDFLY_MANAGEMENT : httpRoot;
    }
}
