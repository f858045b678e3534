package dev.rowcast.impl.hibernate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

import org.hibernate.action.spi.AfterTransactionCompletionProcess;
import org.hibernate.action.spi.BeforeTransactionCompletionProcess;
import org.hibernate.engine.spi.SessionImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.event.spi.EventSource;

import dev.rowcast.EntityChange;
import dev.rowcast.impl.dispatch.CaptureBridge;
import dev.rowcast.impl.dispatch.CapturedChange;
import dev.rowcast.impl.model.ReactiveEntityModel;

/**
 * The reactive changes of one transaction. In before-completion, still holding its row locks, the transaction takes
 * a ticket that orders it against every other; in after-completion it hands its changes to the dispatcher if it
 * committed, or only its ticket if it rolled back.
 */
final class TransactionCapture implements BeforeTransactionCompletionProcess, AfterTransactionCompletionProcess {

    /**
     * Weak keys: a session abandoned without completing its transaction must not leak. Striped by session, so that
     * committing threads do not all queue on one lock.
     */
    private static final int STRIPES = 64;
    @SuppressWarnings("unchecked")
    private static final Map<SharedSessionContractImplementor, TransactionCapture>[] OPEN = new Map[STRIPES];

    static {
        for (int i = 0; i < STRIPES; i++) {
            OPEN[i] = Collections.synchronizedMap(new WeakHashMap<>());
        }
    }

    private final List<CapturedChange> changes = new ArrayList<>(4);
    private long ticket;

    private TransactionCapture() {
    }

    /** Records a change in the session's current transaction. */
    static void record(EventSource session, ReactiveEntityModel model, EntityChange change) {
        Map<SharedSessionContractImplementor, TransactionCapture> open = stripe(session);
        TransactionCapture capture = open.get(session);
        if (capture == null) {
            capture = new TransactionCapture();
            open.put(session, capture);
            session.getActionQueue().registerProcess((BeforeTransactionCompletionProcess) capture);
            session.getActionQueue().registerProcess((AfterTransactionCompletionProcess) capture);
        }
        capture.changes.add(new CapturedChange(model, change));
    }

    private static Map<SharedSessionContractImplementor, TransactionCapture> stripe(
            SharedSessionContractImplementor session) {
        return OPEN[System.identityHashCode(session) & (STRIPES - 1)];
    }

    @Override
    public void doBeforeTransactionCompletion(SessionImplementor session) {
        ticket = CaptureBridge.takeTicket();
    }

    @Override
    public void doAfterTransactionCompletion(boolean success, SharedSessionContractImplementor session) {
        stripe(session).remove(session);
        CaptureBridge.complete(ticket, success ? changes : List.of());
    }
}
