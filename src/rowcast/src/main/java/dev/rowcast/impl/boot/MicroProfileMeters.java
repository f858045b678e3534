package dev.rowcast.impl.boot;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.inject.spi.CDI;

import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

import dev.rowcast.impl.metrics.Counter;
import dev.rowcast.impl.metrics.Histogram;
import dev.rowcast.impl.metrics.Meters;

/**
 * Rowcast's meters in the server's MicroProfile Metrics application registry, which the server serves at
 * {@code /metrics} (Prometheus text on Payara). Loaded only when the server has MicroProfile Metrics
 * ({@link #available()}), so the library still deploys where it has not.
 */
final class MicroProfileMeters implements Meters {

    private static final Logger LOG = Logger.getLogger(MicroProfileMeters.class.getName());

    private final MetricRegistry registry;
    private final List<MetricID> registered = new ArrayList<>();

    private MicroProfileMeters(MetricRegistry registry) {
        this.registry = registry;
    }

    /** Whether the server has the MicroProfile Metrics API; asks without loading this class's dependencies. */
    static boolean available() {
        try {
            Class.forName("org.eclipse.microprofile.metrics.MetricRegistry", false,
                    RowcastWebListener.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The application registry, or local meters when the server has the API but serves no registry. */
    static Meters create() {
        try {
            return new MicroProfileMeters(CDI.current().select(MetricRegistryHolder.class).get().registry);
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.INFO, "Rowcast: no MicroProfile Metrics registry; metrics are kept for the admin page only",
                    e);
            return Meters.local();
        }
    }

    private static Tag[] tags(String label, String value) {
        return label == null ? new Tag[0] : new Tag[] {new Tag(label, value)};
    }

    private synchronized void note(String name, Tag[] tags) {
        registered.add(new MetricID(name, tags));
    }

    @Override
    public Counter counter(String name, String help, String label, String value) {
        Tag[] tags = tags(label, value);
        org.eclipse.microprofile.metrics.Counter counter = registry.counter(
                Metadata.builder().withName(name).withDescription(help).build(), tags);
        note(name, tags);
        return new Counter() {
            @Override
            public void inc(long amount) {
                counter.inc(amount);
            }

            @Override
            public long count() {
                return counter.getCount();
            }
        };
    }

    @Override
    public void gauge(String name, String help, String label, String value, LongSupplier reading) {
        Tag[] tags = tags(label, value);
        registry.gauge(Metadata.builder().withName(name).withDescription(help).build(), reading,
                LongSupplier::getAsLong, tags);
        note(name, tags);
    }

    @Override
    public Histogram histogram(String name, String help, String unit) {
        org.eclipse.microprofile.metrics.Histogram histogram = registry.histogram(
                Metadata.builder().withName(name).withDescription(help).withUnit(unit).build());
        note(name, new Tag[0]);
        return histogram::update;
    }

    @Override
    public synchronized void close() {
        for (MetricID id : registered) {
            try {
                registry.remove(id);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "Rowcast: could not remove metric " + id, e);
            }
        }
        registered.clear();
    }
}
