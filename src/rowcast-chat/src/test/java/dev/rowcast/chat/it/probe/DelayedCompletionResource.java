package dev.rowcast.chat.it.probe;

import org.hibernate.action.spi.AfterTransactionCompletionProcess;
import org.hibernate.engine.spi.SessionImplementor;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import dev.rowcast.chat.domain.Message;

/**
 * Test probe: edits a message in a transaction whose after-completion callbacks are held back after it committed.
 * A sleeping callback registered before the edit is flushed runs before Rowcast's, so Rowcast hears of this commit
 * late, after later transactions on the same row may have committed and been heard of: the reversed callback order
 * that commit ordering must survive.
 */
@Path("it/delayed-edit/{id}")
public class DelayedCompletionResource {

    @PersistenceContext(unitName = "chat")
    EntityManager em;

    @PUT
    @Transactional
    public void edit(@PathParam("id") long id, @QueryParam("body") String body,
            @QueryParam("delayMs") long delayMs) {
        em.unwrap(SessionImplementor.class).getActionQueue().registerProcess((AfterTransactionCompletionProcess) (success,
                session) -> sleep(delayMs));
        em.find(Message.class, id).setBody(body);
        em.flush();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
