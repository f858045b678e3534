package dev.rowcast.impl.boot;

import jakarta.inject.Inject;

import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * Holds the application's metric registry. Payara's producer reads the injection point, so the registry cannot be
 * looked up programmatically; it is injected here. No bean-defining annotation: {@link RowcastExtension} adds this
 * type only when the server has MicroProfile Metrics.
 */
public class MetricRegistryHolder {

    @Inject
    MetricRegistry registry;
}
