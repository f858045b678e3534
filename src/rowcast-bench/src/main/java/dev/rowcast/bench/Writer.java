package dev.rowcast.bench;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

/** One row per transaction: a separate bean so that each call goes through the transaction interceptor. */
@ApplicationScoped
public class Writer {

    @PersistenceContext(unitName = "bench")
    EntityManager em;

    @Transactional
    public void reactive(long topic, String payload) {
        em.persist(new BenchRow(topic, nowMicros(), payload));
    }

    @Transactional
    public void plain(long topic, String payload) {
        em.persist(new PlainRow(topic, nowMicros(), payload));
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
