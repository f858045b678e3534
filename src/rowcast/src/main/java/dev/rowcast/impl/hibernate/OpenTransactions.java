package dev.rowcast.impl.hibernate;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.event.spi.EventSource;

import dev.rowcast.EntityChange;
import dev.rowcast.impl.model.ReactiveEntityModel;

/**
 * The transactions of one session factory that have recorded a reactive change and not completed yet. One per
 * factory, held by its listener.
 * <p>
 * Weak keys: a session abandoned without completing its transaction must not leak. Striped by session, so that
 * committing threads do not all queue on one lock.
 */
final class OpenTransactions {

    private static final int STRIPES = 64;

    private final Map<SharedSessionContractImplementor, TransactionCapture>[] stripes;

    @SuppressWarnings("unchecked")
    OpenTransactions() {
        stripes = new Map[STRIPES];
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = Collections.synchronizedMap(new WeakHashMap<>());
        }
    }

    /** Records a change in the session's current transaction. */
    void record(EventSource session, ReactiveEntityModel model, EntityChange change) {
        Map<SharedSessionContractImplementor, TransactionCapture> open = stripe(session);
        TransactionCapture capture = open.get(session);
        if (capture == null) {
            capture = new TransactionCapture(this);
            open.put(session, capture);
            capture.registerWith(session);
        }
        capture.add(model, change);
    }

    void completed(SharedSessionContractImplementor session) {
        stripe(session).remove(session);
    }

    private Map<SharedSessionContractImplementor, TransactionCapture> stripe(SharedSessionContractImplementor session) {
        return stripes[System.identityHashCode(session) & (STRIPES - 1)];
    }
}
