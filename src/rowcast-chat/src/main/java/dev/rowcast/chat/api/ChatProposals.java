package dev.rowcast.chat.api;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import dev.rowcast.Proposal;
import dev.rowcast.ProposalRefused;
import dev.rowcast.chat.domain.Conversation;
import dev.rowcast.chat.domain.Message;
import dev.rowcast.chat.security.Roles;
import dev.rowcast.spi.Viewer;

/**
 * Writes clients propose over the socket. Rowcast runs each in a transaction as the socket's caller; the change it
 * commits reaches subscribers like any other, and the proposer's result comes after it.
 */
@ApplicationScoped
public class ChatProposals {

    @PersistenceContext(unitName = "chat")
    EntityManager em;

    /** The payload of {@code message.create}; JSON-B fills it, Bean Validation checks it. */
    public static class NewMessage {
        @NotNull
        public Long conversationId;
        @NotBlank
        @Size(max = Message.MAX_BODY)
        public String body;
        @JsonbProperty("private")
        public boolean privateMessage;
    }

    @Proposal(value = "message.create", rolesAllowed = { Roles.USER, Roles.ADMIN })
    public Map<String, Object> createMessage(NewMessage proposed, Viewer caller) {
        String user = caller.principal().getName();
        Conversation conversation = em.find(Conversation.class, proposed.conversationId);
        if (conversation == null || !caller.isUserInRole(Roles.ADMIN) && !conversation.hasMember(user)) {
            // the same answer for both, so conversation ids do not leak
            throw new ProposalRefused("not_member", "You are not a member of that conversation.");
        }
        Message message = new Message(conversation, user, proposed.body.strip(), proposed.privateMessage);
        em.persist(message);
        em.flush();
        return Map.of("id", message.getId());
    }
}
