package dev.rowcast.chat.security;

import java.security.Principal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

/**
 * Who may read and write a conversation: its members, and admins. Called by REST resources and, on Rowcast's
 * authorizer threads, by {@link MembershipAuthorizer}; the read runs in its own transaction there.
 */
@ApplicationScoped
public class Membership {

    @PersistenceContext(unitName = "chat")
    EntityManager em;

    @Transactional
    public boolean isMember(long conversationId, String user) {
        return !em.createQuery("select 1 from Conversation c join c.members m where c.id = :id and m = :user",
                Integer.class).setParameter("id", conversationId).setParameter("user", user)
                .setMaxResults(1).getResultList().isEmpty();
    }

    public boolean mayAccess(long conversationId, Principal caller, boolean admin) {
        return admin || caller != null && isMember(conversationId, caller.getName());
    }
}
