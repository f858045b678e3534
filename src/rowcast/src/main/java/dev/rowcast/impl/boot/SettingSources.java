package dev.rowcast.impl.boot;

import java.lang.reflect.Method;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.servlet.ServletContext;

/**
 * Where a setting comes from: a web.xml context-param first, then MicroProfile Config when the server has it
 * (Payara does), which also reads system properties and environment variables such as
 * {@code ROWCAST_INBOUND_BURST}. MicroProfile Config is reached reflectively, so Rowcast does not require it.
 */
final class SettingSources {

    private static final Logger LOG = Logger.getLogger(SettingSources.class.getName());

    private final ServletContext context;
    private final Object config;
    private final Method getOptionalValue;

    SettingSources(ServletContext context) {
        this.context = context;
        Object found = null;
        Method lookup = null;
        try {
            Class<?> provider = Class.forName("org.eclipse.microprofile.config.ConfigProvider", true,
                    Thread.currentThread().getContextClassLoader());
            found = provider.getMethod("getConfig").invoke(null);
            lookup = found.getClass().getMethod("getOptionalValue", String.class, Class.class);
            lookup.setAccessible(true);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            LOG.log(Level.FINE, "Rowcast: no MicroProfile Config; settings come from web.xml only", e);
            found = null;
        }
        this.config = found;
        this.getOptionalValue = lookup;
    }

    String lookup(String name) {
        String value = context.getInitParameter(name);
        if (value != null || config == null) {
            return value;
        }
        try {
            return ((Optional<?>) getOptionalValue.invoke(config, name, String.class)).map(Object::toString)
                    .orElse(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "ROWCAST-004: MicroProfile Config failed for " + name, e);
            return null;
        }
    }
}
