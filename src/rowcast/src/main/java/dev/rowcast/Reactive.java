package dev.rowcast;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.enterprise.util.Nonbinding;
import jakarta.inject.Qualifier;

/**
 * Marks a JPA entity whose committed inserts, updates and deletes are pushed to WebSocket subscribers.
 * <pre>
 * &#64;Entity &#64;Table(name = "message")
 * &#64;Reactive(scopes = "conversation")
 * public class Message { ... &#64;ManyToOne Conversation conversation; ... }
 * </pre>
 * Clients subscribe to channel {@code message} with scope {@code {"col":"conversation_id","value":42}} and receive
 * every committed change of a message in conversation 42.
 * <p>
 * The same annotation is a CDI qualifier, so the application can observe committed changes itself:
 * {@code void onChange(@Observes @Reactive EntityChange change)}.
 * Deployment fails when a scope names an unknown attribute or one that cannot be a scope.
 */
@Qualifier
@Documented
@Retention(RUNTIME)
@Target({ TYPE, FIELD, METHOD, PARAMETER })
public @interface Reactive {

    /**
     * Entity attributes that clients may filter on: a basic attribute, the id, or a to-one association (whose
     * foreign key value is the scope value). On the wire each scope is named by its column, e.g. attribute
     * {@code conversation} becomes {@code conversation_id}. At least one is required.
     */
    @Nonbinding
    String[] scopes() default {};

    /** The channel clients subscribe to. Defaults to the entity's table name. */
    @Nonbinding
    String channel() default "";

    /** The rows sent to a new subscriber before live changes. None by default. */
    @Nonbinding
    Snapshot snapshot() default @Snapshot;

    /**
     * Roles allowed to subscribe to this channel, checked against the container-authenticated caller of the
     * WebSocket handshake. Empty (the default) allows every caller the endpoint admits.
     */
    @Nonbinding
    String[] rolesAllowed() default {};

    /**
     * Coalesce the changes of one stream within this many milliseconds into one frame with an {@code events} array.
     * 0 (the default) sends each change at once. At most 10,000.
     */
    @Nonbinding
    int batchMs() default 0;

    /**
     * Where changes are taken from: JPA's flushes, or a PostgreSQL trigger that sees every write. {@code DEFAULT}
     * follows the setting {@code rowcast.capture.database}, and is JPA without it.
     */
    @Nonbinding
    Capture capture() default Capture.DEFAULT;

    /** Literal for firing or selecting with the {@link Reactive} qualifier. */
    final class Literal extends AnnotationLiteral<Reactive> implements Reactive {

        private static final long serialVersionUID = 1L;

        /** The qualifier with default members; it matches every {@code @Reactive} observer. */
        public static final Literal INSTANCE = new Literal();

        private Literal() {
        }

        @Override
        public String[] scopes() {
            return new String[0];
        }

        @Override
        public String channel() {
            return "";
        }

        @Override
        public Snapshot snapshot() {
            return DEFAULT_SNAPSHOT;
        }

        @Override
        public String[] rolesAllowed() {
            return new String[0];
        }

        @Override
        public int batchMs() {
            return 0;
        }

        @Override
        public Capture capture() {
            return Capture.DEFAULT;
        }

        private static final Snapshot DEFAULT_SNAPSHOT = new NoSnapshot();

        private static final class NoSnapshot extends AnnotationLiteral<Snapshot> implements Snapshot {

            private static final long serialVersionUID = 1L;

            @Override
            public int limit() {
                return 0;
            }

            @Override
            public String orderBy() {
                return "";
            }

            @Override
            public boolean descending() {
                return false;
            }
        }
    }
}
