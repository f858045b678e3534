package dev.rowcast.chat.it.probe;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Test probe: writes {@link SecretNote}s. */
@Path("it/secret")
public class SecretNoteResource {

    @PersistenceContext(unitName = "chat")
    EntityManager em;

    @POST
    @Path("{topic}")
    @Produces(MediaType.APPLICATION_JSON)
    @Transactional
    public JsonObject insert(@PathParam("topic") long topic, @QueryParam("text") String text,
            @QueryParam("secret") String secret) {
        SecretNote note = new SecretNote(topic, text, secret);
        em.persist(note);
        em.flush();
        return Json.createObjectBuilder().add("id", note.id).build();
    }

    @PUT
    @Path("note/{id}")
    @Transactional
    public void update(@PathParam("id") long id, @QueryParam("text") String text,
            @QueryParam("secret") String secret) {
        SecretNote note = em.find(SecretNote.class, id);
        note.text = text;
        note.secret = secret;
    }
}
