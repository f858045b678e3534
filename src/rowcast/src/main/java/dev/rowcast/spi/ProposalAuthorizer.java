package dev.rowcast.spi;

/**
 * Decides whether a caller may make a proposal, after the handler's {@code rolesAllowed}. Every CDI bean
 * implementing it must allow. Called on a Rowcast proposal thread, before the transaction, with the application's
 * context; it may read the database. An authorizer that throws denies.
 */
public interface ProposalAuthorizer {

    boolean authorize(ProposalRequest request);
}
