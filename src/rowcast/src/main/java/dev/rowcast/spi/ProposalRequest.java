package dev.rowcast.spi;

import jakarta.json.JsonValue;

/**
 * A proposal as a {@link ProposalAuthorizer} sees it.
 *
 * @param proposer the caller of the socket that sent it
 * @param name the proposal's name, such as {@code message.create}
 * @param payload the client's payload as sent, before conversion and validation
 */
public record ProposalRequest(Viewer proposer, String name, JsonValue payload) {
}
