package dev.rowcast.chat.it.probe;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.rowcast.EntityChange;
import dev.rowcast.Reactive;

/**
 * Test probe: an application observer that misbehaves on marked messages. A body {@code stall:<ms>} blocks the
 * dispatch thread that long; a body {@code observer-error} throws an {@link Error}.
 */
@ApplicationScoped
public class StallingObserver {

    void onChange(@Observes @Reactive EntityChange change) throws InterruptedException {
        if (!(change.row().get("body") instanceof String body)) {
            return;
        }
        if (body.startsWith("stall:")) {
            Thread.sleep(Long.parseLong(body.substring("stall:".length())));
        } else if (body.equals("observer-error")) {
            throw new ProbeError("probe: an observer throws an Error");
        }
    }

    /** Not an Exception: code that catches only RuntimeException lets it through. */
    public static final class ProbeError extends Error {
        private static final long serialVersionUID = 1L;

        public ProbeError(String message) {
            super(message);
        }
    }
}
