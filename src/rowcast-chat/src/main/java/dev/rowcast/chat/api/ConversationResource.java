package dev.rowcast.chat.api;

import java.net.URI;
import java.util.List;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.rowcast.chat.domain.Conversation;
import dev.rowcast.Subscriptions;
import dev.rowcast.chat.domain.Message;
import dev.rowcast.chat.security.DemoIdentityStore;

@Path("conversations")
@RequestScoped
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ConversationResource {

    @PersistenceContext(unitName = "chat")
    EntityManager em;

    @Inject
    Caller caller;

    @Inject
    Subscriptions subscriptions;

    @Resource
    TransactionSynchronizationRegistry transactions;

    @Inject
    DemoIdentityStore users;

    /** The conversations the caller is a member of; all of them for an admin. */
    @GET
    public JsonArray list() {
        List<Conversation> conversations = caller.isAdmin()
                ? em.createQuery("select c from Conversation c order by c.id", Conversation.class).getResultList()
                : em.createQuery("select c from Conversation c join c.members m where m.username = :user order by c.id",
                        Conversation.class).setParameter("user", caller.name()).getResultList();
        JsonArrayBuilder array = Json.createArrayBuilder();
        conversations.forEach(c -> array.add(Json.createObjectBuilder().add("id", c.getId())
                .add("title", c.getTitle())));
        return array.build();
    }

    @POST
    @Transactional
    public Response create(JsonValue body) {
        String title = Bodies.requiredText(Bodies.object(body), "title", 200);
        Conversation conversation = new Conversation(title, caller.name());
        em.persist(conversation);
        em.flush();
        JsonObject json = Json.createObjectBuilder()
                .add("id", conversation.getId()).add("title", conversation.getTitle()).build();
        return Response.created(URI.create("conversations/" + conversation.getId())).entity(json).build();
    }

    /** Adds a member; only members (and admins) may. */
    @POST
    @Path("{id}/members")
    @Transactional
    public Response addMember(@PathParam("id") long id, JsonValue body) {
        Conversation conversation = findAccessible(id);
        String user = Bodies.requiredText(Bodies.object(body), "user", 100).strip();
        if (!users.exists(user)) {
            throw BadRequest.notFound("user '" + user + "'");
        }
        conversation.addMember(user);
        return Response.noContent().build();
    }

    /** The members, sorted; only members (and admins) may see them. */
    @GET
    @Path("{id}/members")
    @Transactional
    public JsonArray members(@PathParam("id") long id) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        findAccessible(id).getMembers().stream().sorted().forEach(array::add);
        return array.build();
    }

    /**
     * Removes a member; only members (and admins) may. Once the removal commits, the removed user's live
     * subscriptions are checked again, and end: the authorizer now says no.
     */
    @DELETE
    @Path("{id}/members/{user}")
    @Transactional
    public Response removeMember(@PathParam("id") long id, @PathParam("user") String user) {
        findAccessible(id).removeMember(user);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    subscriptions.recheck(user);
                }
            }
        });
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/messages")
    @Transactional
    public JsonArray messages(@PathParam("id") long id) {
        Conversation conversation = findAccessible(id);
        boolean admin = caller.isAdmin();
        List<Message> messages = em.createQuery(
                "select m from Message m where m.conversation.id = :id order by m.createdAt, m.id", Message.class)
                .setParameter("id", id).getResultList();
        JsonArrayBuilder array = Json.createArrayBuilder();
        messages.stream()
                .filter(message -> !message.isPrivate() || admin || message.getAuthor().equals(caller.name()))
                .forEach(message -> array.add(MessageJson.of(message)));
        return array.build();
    }

    @POST
    @Path("{id}/messages")
    @Transactional
    public Response post(@PathParam("id") long id, JsonValue body) {
        Message message = persist(findAccessible(id), Bodies.object(body));
        return Response.created(URI.create("messages/" + message.getId())).entity(MessageJson.of(message)).build();
    }

    /**
     * Persists the items in one transaction, in order, flushing after each. One invalid item rolls back the whole
     * batch, including rows already flushed: Rowcast sends nothing for them.
     */
    @POST
    @Path("{id}/messages/batch")
    @Transactional
    public Response batch(@PathParam("id") long id, JsonValue body) {
        if (!(body instanceof JsonArray items) || items.isEmpty()) {
            throw new BadRequest("the body must be a non-empty JSON array of messages");
        }
        Conversation conversation = findAccessible(id);
        JsonArrayBuilder created = Json.createArrayBuilder();
        for (int i = 0; i < items.size(); i++) {
            try {
                Message message = persist(conversation, Bodies.object(items.get(i)));
                em.flush();
                created.add(MessageJson.of(message));
            } catch (BadRequest e) {
                throw new BadRequest("item " + i + ": " + e.getMessage() + "; the batch was rolled back");
            }
        }
        return Response.status(Response.Status.CREATED).entity(created.build()).build();
    }

    private Message persist(Conversation conversation, JsonObject body) {
        Message message = new Message(conversation, caller.name(), Bodies.body(body),
                Bodies.optionalBoolean(body, "private"));
        em.persist(message);
        return message;
    }

    /** The conversation, if it exists and the caller is a member or an admin; 404 otherwise, so ids do not leak. */
    private Conversation findAccessible(long id) {
        Conversation conversation = em.find(Conversation.class, id);
        if (conversation == null || !caller.isAdmin() && !conversation.hasMember(caller.name())) {
            throw BadRequest.notFound("conversation " + id);
        }
        return conversation;
    }
}
