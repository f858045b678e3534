package dev.rowcast.chat.it.probe;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/** Test probe: inserts a {@link FragileNote}. */
@Path("it/fragile/{topic}")
public class FragileNoteResource {

    @PersistenceContext(unitName = "chat")
    EntityManager em;

    @POST
    @Transactional
    public void insert(@PathParam("topic") long topic) {
        em.persist(new FragileNote(topic));
    }
}
