package dev.rowcast.impl.proposal;

import java.lang.reflect.Type;
import java.util.List;

import dev.rowcast.spi.Viewer;

/**
 * One {@code @Proposal} method, as boot found it: plain Java from here on.
 *
 * @param payloadType the first parameter's type, which the payload is converted to
 * @param invoker calls the method on the bean with the converted payload and the caller
 */
public record ProposalHandler(String name, List<String> rolesAllowed, Type payloadType, Invoker invoker) {

    public ProposalHandler {
        rolesAllowed = List.copyOf(rolesAllowed);
    }

    @FunctionalInterface
    public interface Invoker {

        /** Throws what the method threw, unwrapped. */
        Object invoke(Object payload, Viewer caller) throws Exception;
    }
}
