package dev.rowcast.chat.api;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.rowcast.chat.domain.Conversation;
import dev.rowcast.chat.domain.Message;

@Path("messages/{id}")
@RequestScoped
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class MessageResource {

    @PersistenceContext(unitName = "chat")
    EntityManager em;

    @Inject
    Caller caller;

    /** {@code {"body": "..."}} edits the text; {@code {"conversationId": 7}} moves the message. */
    @PUT
    @Transactional
    public JsonObject update(@PathParam("id") long id, JsonValue body) {
        JsonObject changes = Bodies.object(body);
        if (!changes.containsKey("body") && !changes.containsKey("conversationId")) {
            throw new BadRequest("give body or conversationId");
        }
        Message message = find(id);
        if (changes.containsKey("body")) {
            message.setBody(Bodies.body(changes));
        }
        if (changes.containsKey("conversationId")) {
            long target = Bodies.requiredId(changes, "conversationId");
            Conversation conversation = em.find(Conversation.class, target);
            if (conversation == null || !caller.isAdmin() && !conversation.hasMember(caller.name())) {
                throw BadRequest.notFound("conversation " + target);
            }
            message.moveTo(conversation);
        }
        em.flush(); // a concurrent writer's conflict surfaces here, as 409, rather than at commit
        return MessageJson.of(message);
    }

    @DELETE
    @Transactional
    public void delete(@PathParam("id") long id) {
        em.remove(find(id));
        em.flush();
    }

    /** The message, if the caller wrote it or is an admin; 404 otherwise, so ids do not leak. */
    private Message find(long id) {
        Message message = em.find(Message.class, id);
        if (message == null || !caller.isAdmin() && !message.getAuthor().equals(caller.name())) {
            throw BadRequest.notFound("message " + id);
        }
        return message;
    }
}
