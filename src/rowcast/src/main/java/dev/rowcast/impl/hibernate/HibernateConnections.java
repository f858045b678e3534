package dev.rowcast.impl.hibernate;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.engine.spi.SessionFactoryImplementor;

import dev.rowcast.impl.bridge.ConnectionSource;

import javax.sql.DataSource;

/**
 * The persistence unit's own connections (its JTA or non-JTA data source, or Hibernate's pool), for database capture.
 * Looked up lazily: the reader starts after the factory is built.
 */
final class HibernateConnections implements ConnectionSource {

    private static final Logger LOG = Logger.getLogger(HibernateConnections.class.getName());

    private final SessionFactoryImplementor factory;

    HibernateConnections(SessionFactoryImplementor factory) {
        this.factory = factory;
    }

    @Override
    public String unit() {
        return factory.getName() != null ? factory.getName()
                : String.valueOf(factory.getProperties().getOrDefault("hibernate.persistenceUnitName", "?"));
    }

    @Override
    public boolean postgres() {
        return factory.getJdbcServices().getDialect() instanceof PostgreSQLDialect;
    }

    @Override
    public Connection open() throws SQLException {
        return provider().getConnection();
    }

    @Override
    public void release(Connection connection, boolean broken) {
        if (broken) {
            markBad(connection);
        }
        try {
            provider().closeConnection(connection);
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.FINE, "Rowcast: closing a capture connection failed", e);
        }
    }

    private ConnectionProvider provider() {
        return factory.getServiceRegistry().requireService(ConnectionProvider.class);
    }

    /**
     * Payara's pools (com.sun.appserv.jdbc.DataSource) hand a connection whose backend was terminated out again
     * unless told; reflective, so other servers are unaffected.
     */
    private void markBad(Connection connection) {
        try {
            ConnectionProvider provider = provider();
            if (!provider.isUnwrappableAs(DataSource.class)) {
                return;
            }
            DataSource dataSource = provider.unwrap(DataSource.class);
            Method mark = dataSource.getClass().getMethod("markConnectionAsBad", Connection.class);
            mark.invoke(dataSource, connection);
        } catch (NoSuchMethodException e) {
            // not Payara's pool
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.FINE, "Rowcast: could not mark a broken capture connection as bad", e);
        }
    }
}
