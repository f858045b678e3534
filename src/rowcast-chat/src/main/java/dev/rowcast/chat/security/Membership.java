package dev.rowcast.chat.security;

import java.security.Principal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceUnit;

/**
 * Who may read and write a conversation: its members, and admins. Called by REST resources and, on Rowcast's
 * authorizer threads, by {@link MembershipAuthorizer}.
 * <p>
 * Reads with its own entity manager: the container's transaction-scoped one failed with "Session/EntityManager is
 * closed" when one socket's subscribes were authorized back to back on Rowcast's authorizer threads.
 */
@ApplicationScoped
public class Membership {

    @PersistenceUnit(unitName = "chat")
    EntityManagerFactory factory;

    public boolean isMember(long conversationId, String user) {
        EntityManager em = factory.createEntityManager();
        try {
            return !em.createQuery("select 1 from ConversationMember m where m.conversation.id = :id "
                    + "and m.username = :user", Integer.class).setParameter("id", conversationId)
                    .setParameter("user", user).setMaxResults(1).getResultList().isEmpty();
        } finally {
            em.close();
        }
    }

    public boolean mayAccess(long conversationId, Principal caller, boolean admin) {
        return admin || caller != null && isMember(conversationId, caller.getName());
    }
}
