package dev.flowline.platform.persistence;

import org.eclipse.persistence.config.SessionCustomizer;
import org.eclipse.persistence.sessions.DatasourceLogin;
import org.eclipse.persistence.sessions.JNDIConnector;
import org.eclipse.persistence.sessions.Login;
import org.eclipse.persistence.sessions.Session;
import org.eclipse.persistence.sessions.server.ConnectionPool;
import org.eclipse.persistence.sessions.server.ServerSession;

import java.util.logging.Logger;

/**
 * Makes EclipseLink take its connections through {@link PoolUse#APPLICATION} (persistence.xml's
 * {@code eclipselink.session.customizer}): every transaction's connection and every read outside one, on Payara and on
 * WildFly alike. Runs before the session logs in, while the logins still hold the server's data source.
 */
public class PoolUseCustomizer implements SessionCustomizer {

    private static final Logger LOG = Logger.getLogger(PoolUseCustomizer.class.getName());

    @Override
    public void customize(Session session) {
        int counted = count(session.getDatasourceLogin());
        if (session instanceof ServerSession server) {
            if (server.getReadConnectionPool() != null) {
                counted += count(server.getReadConnectionPool().getLogin());
            }
            for (ConnectionPool pool : server.getConnectionPools().values()) {
                counted += count(pool.getLogin());
            }
        }
        if (counted == 0) {
            LOG.warning("Connection pool metrics: EclipseLink's login holds no data source; the pool gauges stay at 0");
        } else {
            int logins = counted;
            LOG.info(() -> "Connection pool metrics: counting the connections of " + logins + " EclipseLink login(s)");
        }
    }

    private static int count(Login login) {
        if (login instanceof DatasourceLogin datasourceLogin
                && datasourceLogin.getConnector() instanceof JNDIConnector connector
                && connector.getDataSource() != null) {
            connector.setDataSource(PoolUse.APPLICATION.watch(connector.getDataSource()));
            return 1;
        }
        return 0;
    }
}
