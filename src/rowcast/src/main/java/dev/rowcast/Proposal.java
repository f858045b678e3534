package dev.rowcast;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Marks a method of a CDI bean as the handler of the proposals a client sends under this name:
 * {@code {"type":"propose","id":"p1","name":"message.create","payload":{...}}}. docs/talk.md ("Proposals") says it all.
 * <p>
 * The method takes the payload, converted with JSON-B to its first parameter's type (a record, a class,
 * {@code JsonObject} or {@code JsonValue}) and checked with Bean Validation, and optionally a
 * {@link dev.rowcast.spi.Viewer} or {@link java.security.Principal}: the socket's caller. It runs in a JTA
 * transaction on a Rowcast proposal thread with the application's context. What it returns (JSON-B again;
 * {@code void} gives {@code null}) is the proposer's result, sent after the changes the transaction caused. To refuse
 * with a reason the client sees, throw {@link ProposalRefused}; any other exception rolls back and the client gets
 * {@code proposal_failed}, never the exception.
 */
@Documented
@Retention(RUNTIME)
@Target(METHOD)
public @interface Proposal {

    /** The name clients propose under; unique in the application. */
    String value();

    /** Roles allowed to make the proposal; empty for any caller the endpoint admits. */
    String[] rolesAllowed() default {};
}
