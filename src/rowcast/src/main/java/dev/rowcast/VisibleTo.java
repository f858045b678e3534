package dev.rowcast;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Declarative column redaction: the attribute of a {@link Reactive} entity is sent only to subscribers in one of
 * these roles. Others receive rows without the column, and without its previous value in updates.
 * <pre>
 * &#64;VisibleTo("admin")
 * private String moderationNote;
 * </pre>
 */
@Documented
@Retention(RUNTIME)
@Target({ FIELD, METHOD })
public @interface VisibleTo {

    /** Roles that see the attribute, as the container reports them. */
    String[] value();
}
