package dev.rowcast.chat.it.probe;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

/** Test probe: commits {@code n} {@link BatchedNote}s, one transaction each, as fast as it can. */
@Path("it/batched/{topic}")
public class BatchedNoteResource {

    @Inject
    Writer writer;

    @POST
    public void insert(@PathParam("topic") long topic, @QueryParam("n") int n) {
        for (int i = 0; i < n; i++) {
            writer.insert(topic, "note " + i);
        }
    }

    /** A bean of its own, so that each call is its own transaction. */
    @jakarta.enterprise.context.ApplicationScoped
    public static class Writer {

        @PersistenceContext(unitName = "chat")
        EntityManager em;

        @Transactional
        public void insert(long topic, String text) {
            em.persist(new BatchedNote(topic, text));
        }
    }
}
