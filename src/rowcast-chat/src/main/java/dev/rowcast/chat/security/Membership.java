package dev.rowcast.chat.security;

import java.security.Principal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceUnit;

/** Who may read and write a conversation: its members, and admins. */
@ApplicationScoped
public class Membership {

    /**
     * An EntityManager of its own per check: the authorizer runs on socket threads, outside any transaction, where
     * the container's shared EntityManager was closed under concurrent subscribes and members were refused.
     */
    @PersistenceUnit(unitName = "chat")
    EntityManagerFactory emf;

    public boolean isMember(long conversationId, String user) {
        try (EntityManager em = emf.createEntityManager()) {
            return !em.createQuery("select 1 from Conversation c join c.members m where c.id = :id and m = :user",
                    Integer.class).setParameter("id", conversationId).setParameter("user", user)
                    .setMaxResults(1).getResultList().isEmpty();
        }
    }

    public boolean mayAccess(long conversationId, Principal caller, boolean admin) {
        return admin || caller != null && isMember(conversationId, caller.getName());
    }
}
