package dev.flowline.testing;

import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.core.spi.LoadableExtension;

/**
 * Puts {@link ReusingPayaraMicroContainer} in the place of the Payara Micro adapter's container. The WildFly leg has no
 * Payara adapter on its class path (and WildFly keeps one server for the whole run anyway): nothing changes there.
 */
public final class ReusableDeploymentsExtension implements LoadableExtension {

    private static final String PAYARA_MICRO = "fish.payara.arquillian.container.payara.managed.PayaraMicroDeployableContainer";

    @Override
    public void register(ExtensionBuilder builder) {
        if (onClassPath(PAYARA_MICRO)) {
            PayaraMicro.register(builder);
        }
    }

    private static boolean onClassPath(String className) {
        try {
            Class.forName(className, false, ReusableDeploymentsExtension.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Its own class, so the adapter's classes are only loaded when present. */
    private static final class PayaraMicro {
        static void register(ExtensionBuilder builder) {
            builder.override(DeployableContainer.class,
                    fish.payara.arquillian.container.payara.managed.PayaraMicroDeployableContainer.class,
                    ReusingPayaraMicroContainer.class);
        }
    }
}
