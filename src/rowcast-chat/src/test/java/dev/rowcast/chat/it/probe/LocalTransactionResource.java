package dev.rowcast.chat.it.probe;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.PersistenceUnit;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.rowcast.chat.domain.Conversation;
import dev.rowcast.chat.domain.Message;

/**
 * Test probe: the batch endpoint again, but through an application-managed RESOURCE_LOCAL EntityTransaction, with
 * no JTA transaction anywhere.
 */
@Path("it/local/{conversation}/batch")
public class LocalTransactionResource {

    @PersistenceUnit(unitName = "chat-local")
    EntityManagerFactory factory;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response batch(@PathParam("conversation") long conversationId, JsonArray items) {
        EntityManager em = factory.createEntityManager();
        EntityTransaction tx = em.getTransaction();
        try {
            tx.begin();
            Conversation conversation = em.find(Conversation.class, conversationId);
            for (JsonObject item : items.getValuesAs(JsonObject.class)) {
                String body = item.getString("body", "");
                if (body.isBlank()) {
                    tx.rollback(); // after earlier items were flushed and their callbacks ran
                    return Response.status(400).build();
                }
                em.persist(new Message(conversation, "local", body, false));
                em.flush();
            }
            tx.commit();
            return Response.status(201).build();
        } finally {
            if (tx.isActive()) {
                tx.rollback();
            }
            em.close();
        }
    }
}
