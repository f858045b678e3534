package dev.rowcast.impl.hibernate;

import java.util.ArrayList;
import java.util.List;

import org.hibernate.action.spi.AfterTransactionCompletionProcess;
import org.hibernate.action.spi.BeforeTransactionCompletionProcess;
import org.hibernate.engine.spi.SessionImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.event.spi.EventSource;

import dev.rowcast.EntityChange;
import dev.rowcast.impl.bridge.CaptureBridge;
import dev.rowcast.impl.bridge.CapturedChange;
import dev.rowcast.impl.model.ReactiveEntityModel;

/**
 * The reactive changes of one transaction. In before-completion, still holding its row locks, the transaction takes
 * a ticket that orders it against every other; in after-completion it hands its changes to the dispatcher if it
 * committed, or only its ticket if it rolled back.
 */
final class TransactionCapture implements BeforeTransactionCompletionProcess, AfterTransactionCompletionProcess {

    private final OpenTransactions open;
    private final List<CapturedChange> changes = new ArrayList<>(4);
    private long ticket;

    TransactionCapture(OpenTransactions open) {
        this.open = open;
    }

    void registerWith(EventSource session) {
        session.getActionQueue().registerProcess((BeforeTransactionCompletionProcess) this);
        session.getActionQueue().registerProcess((AfterTransactionCompletionProcess) this);
    }

    void add(ReactiveEntityModel model, EntityChange change) {
        changes.add(new CapturedChange(model, change));
    }

    @Override
    public void doBeforeTransactionCompletion(SessionImplementor session) {
        ticket = CaptureBridge.takeTicket();
    }

    @Override
    public void doAfterTransactionCompletion(boolean success, SharedSessionContractImplementor session) {
        open.completed(session);
        CaptureBridge.complete(ticket, success ? changes : List.of());
    }
}
