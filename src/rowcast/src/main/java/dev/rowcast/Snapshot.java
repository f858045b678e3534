package dev.rowcast;

import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Asks for a snapshot on subscribe: the rows of the scope value, sent after {@code subscribed} and before any
 * change, at a stream position that joins them to the live changes with no gap and no duplicate.
 * <pre>
 * &#64;Reactive(scopes = "conversation", snapshot = &#64;Snapshot(limit = 100, orderBy = "createdAt", descending = true))
 * </pre>
 */
@Documented
@Retention(RUNTIME)
@Target({})
public @interface Snapshot {

    /** Most rows sent; 0 (the default) means no snapshot. At most 10,000. */
    int limit() default 0;

    /** The attribute rows are ordered by, a basic attribute or the id; the id when empty. */
    String orderBy() default "";

    /** Newest first, with {@code orderBy = "createdAt"}. */
    boolean descending() default false;
}
