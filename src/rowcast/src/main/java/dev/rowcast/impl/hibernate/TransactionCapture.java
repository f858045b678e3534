package dev.rowcast.impl.hibernate;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

import org.hibernate.action.spi.AfterTransactionCompletionProcess;
import org.hibernate.action.spi.BeforeTransactionCompletionProcess;
import org.hibernate.engine.spi.SessionImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.event.spi.EventSource;

import dev.rowcast.EntityChange;
import dev.rowcast.impl.bridge.CaptureBridge;
import dev.rowcast.impl.bridge.CapturedChange;
import dev.rowcast.impl.bridge.ChangeSize;
import dev.rowcast.impl.bridge.LostChanges;
import dev.rowcast.impl.model.ReactiveEntityModel;

/**
 * The reactive changes of one transaction. In before-completion, still holding its row locks, the transaction takes
 * a ticket that orders it against every other; in after-completion it hands its changes to the dispatcher if it
 * committed, or only its ticket if it rolled back.
 * <p>
 * What it keeps is bounded ({@link CaptureBridge#maxTransactionBytes()}): past the bound it keeps only the streams
 * the transaction touches, and those are reset after commit (their subscribers resync with a snapshot) instead of
 * receiving the changes. A partial transaction is never delivered.
 */
final class TransactionCapture implements BeforeTransactionCompletionProcess, AfterTransactionCompletionProcess {

    private final OpenTransactions open;
    private static final Logger LOG = Logger.getLogger(TransactionCapture.class.getName());

    private final List<CapturedChange> changes = new ArrayList<>(4);
    private long bytes;
    /** Set once the changes passed the bound: from then on only their streams are kept. */
    private LostChanges overflow;
    private long ticket;

    TransactionCapture(OpenTransactions open) {
        this.open = open;
    }

    void registerWith(EventSource session) {
        session.getActionQueue().registerProcess((BeforeTransactionCompletionProcess) this);
        session.getActionQueue().registerProcess((AfterTransactionCompletionProcess) this);
    }

    void add(ReactiveEntityModel model, EntityChange change) {
        CapturedChange captured = new CapturedChange(model, change);
        if (overflow != null) {
            overflow.add(captured);
            return;
        }
        changes.add(captured);
        bytes += ChangeSize.of(change);
        long limit = CaptureBridge.maxTransactionBytes();
        if (bytes > limit) {
            overflow = new LostChanges(CaptureBridge.maxLostStreams());
            changes.forEach(overflow::add);
            changes.clear();
            LOG.warning(() -> "ROWCAST-032: a transaction's reactive changes passed " + limit + " bytes; they will not "
                    + "be sent one by one: the streams they touch are reset after commit and their subscribers get "
                    + "replay_unavailable and a snapshot (rowcast.capture.maxTransactionBytes)");
        }
    }

    @Override
    public void doBeforeTransactionCompletion(SessionImplementor session) {
        ticket = CaptureBridge.takeTicket();
    }

    @Override
    public void doAfterTransactionCompletion(boolean success, SharedSessionContractImplementor session) {
        open.completed(session);
        // one hand-off per transaction, whatever its number of rows; bytes were counted as the changes came
        if (success) {
            CaptureBridge.complete(ticket, changes, overflow == null ? bytes : 0, overflow);
        } else {
            CaptureBridge.complete(ticket, List.of(), 0, null);
        }
    }
}
