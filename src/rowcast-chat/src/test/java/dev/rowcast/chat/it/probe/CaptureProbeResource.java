package dev.rowcast.chat.it.probe;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

/** Test probe: JPA writes through {@link MessageMirror}, and a bulk JPQL update of the chat's messages. */
@Path("it/capture")
public class CaptureProbeResource {

    @PersistenceContext(unitName = "chat")
    EntityManager em;

    @POST
    @Path("mirror/{conversation}")
    @Transactional
    public String insert(@PathParam("conversation") long conversation, @QueryParam("body") String body) {
        MessageMirror message = new MessageMirror();
        message.conversationId = conversation;
        message.author = "mirror";
        message.body = body;
        message.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        em.persist(message);
        em.flush();
        return String.valueOf(message.id);
    }

    @PUT
    @Path("mirror/{id}")
    @Transactional
    public void update(@PathParam("id") long id, @QueryParam("body") String body,
            @QueryParam("conversation") Long conversation) {
        MessageMirror message = em.find(MessageMirror.class, id);
        message.body = body;
        if (conversation != null) {
            message.conversationId = conversation;
        }
    }

    @DELETE
    @Path("mirror/{id}")
    @Transactional
    public void delete(@PathParam("id") long id) {
        em.remove(em.find(MessageMirror.class, id));
    }

    /** What Rowcast logged about the probe's notification decoder. */
    @jakarta.ws.rs.GET
    @Path("decoder-warnings")
    @jakarta.ws.rs.Produces("application/json")
    public String decoderWarnings() {
        jakarta.json.JsonArrayBuilder warnings = jakarta.json.Json.createArrayBuilder();
        ProbeDecoder.warnings().forEach(warnings::add);
        return warnings.build().toString();
    }

    /** Bulk JPQL: Hibernate's listener never sees these rows. */
    @POST
    @Path("bulk/{conversation}")
    @Transactional
    public String bulk(@PathParam("conversation") long conversation, @QueryParam("body") String body) {
        return String.valueOf(em.createQuery("update Message m set m.body = :body where m.conversation.id = :c")
                .setParameter("body", body).setParameter("c", conversation).executeUpdate());
    }
}
