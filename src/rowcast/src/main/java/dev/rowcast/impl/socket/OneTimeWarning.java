package dev.rowcast.impl.socket;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A warning logged the first time only: a container workaround that cannot apply says so once, not once per socket.
 * <p>
 * The first call claims the warning atomically, so of concurrent callers exactly one logs. Later calls log nothing
 * and do not build their message, whatever it says.
 */
final class OneTimeWarning {

    private final Logger log;
    private final AtomicBoolean claimed = new AtomicBoolean();

    /** @param log the workaround's own logger, so the warning keeps its logger name */
    OneTimeWarning(Logger log) {
        this.log = log;
    }

    /** @return whether this call logged the warning */
    boolean warn(Supplier<String> message) {
        return warn(message, null);
    }

    /**
     * @param thrown logged with the message; may be null
     * @return whether this call logged the warning
     */
    boolean warn(Supplier<String> message, Throwable thrown) {
        if (!claimed.compareAndSet(false, true)) {
            return false;
        }
        // the caller as source, as when it logged itself: logging from here would name this class instead
        StackWalker.StackFrame caller = StackWalker.getInstance().walk(frames -> frames
                .filter(frame -> !frame.getClassName().equals(OneTimeWarning.class.getName()))
                .findFirst().orElseThrow());
        log.logp(Level.WARNING, caller.getClassName(), caller.getMethodName(), thrown, message);
        return true;
    }
}
