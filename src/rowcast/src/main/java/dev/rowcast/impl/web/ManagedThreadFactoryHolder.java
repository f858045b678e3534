package dev.rowcast.impl.web;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;

/** Gives the web listener the container's thread factory; resource injection works in beans, not in listeners of library jars on every server. */
@ApplicationScoped
public class ManagedThreadFactoryHolder {

    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ManagedThreadFactory threads;

    ManagedThreadFactory threads() {
        return threads;
    }
}
