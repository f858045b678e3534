package dev.rowcast.impl.hibernate;

import java.util.Map;

import org.hibernate.event.spi.PostDeleteEvent;
import org.hibernate.event.spi.PostDeleteEventListener;
import org.hibernate.event.spi.PostInsertEvent;
import org.hibernate.event.spi.PostInsertEventListener;
import org.hibernate.event.spi.PostUpdateEvent;
import org.hibernate.event.spi.PostUpdateEventListener;
import org.hibernate.persister.entity.EntityPersister;

import dev.rowcast.ChangeType;
import dev.rowcast.EntityChange;
import dev.rowcast.impl.bridge.ReactiveChannels;

/**
 * Records each flushed insert, update and delete of a reactive entity in its transaction's
 * {@link TransactionCapture}. Nothing leaves the transaction before it commits, so rolled-back work, even flushed,
 * produces nothing. Other entities return at the first line.
 */
final class ChangeCaptureListener implements PostInsertEventListener, PostUpdateEventListener, PostDeleteEventListener {

    private static final long serialVersionUID = 1L;

    private final transient Map<String, EntityCapture> captures;
    private final transient OpenTransactions open = new OpenTransactions();

    ChangeCaptureListener(Map<String, EntityCapture> captures) {
        this.captures = Map.copyOf(captures);
    }

    @Override
    public void onPostInsert(PostInsertEvent event) {
        EntityCapture capture = captureOf(event.getPersister());
        if (capture != null) {
            record(event, capture, capture.insertOrDelete(ChangeType.INSERT, event.getId(), event.getState(),
                    event.getPersister()));
        }
    }

    @Override
    public void onPostUpdate(PostUpdateEvent event) {
        EntityCapture capture = captureOf(event.getPersister());
        if (capture != null) {
            record(event, capture, capture.update(event.getId(), event.getState(), event.getOldState(),
                    event.getPersister()));
        }
    }

    @Override
    public void onPostDelete(PostDeleteEvent event) {
        EntityCapture capture = captureOf(event.getPersister());
        if (capture != null) {
            record(event, capture, capture.insertOrDelete(ChangeType.DELETE, event.getId(),
                    event.getDeletedState(), event.getPersister()));
        }
    }

    /** Null for entities that are not reactive, and for those whose changes the database's trigger captures. */
    private EntityCapture captureOf(EntityPersister persister) {
        EntityCapture capture = captures.get(persister.getEntityName());
        // captured by the trigger too: delivering both would send the change twice
        return capture == null || ReactiveChannels.capturedFromDatabase(capture.model().channel()) ? null : capture;
    }

    private void record(org.hibernate.event.spi.AbstractEvent event, EntityCapture capture,
            EntityChange change) {
        if (change != null) {
            open.record(event.getSession(), capture.model(), change);
        }
    }

    /** False: Rowcast orders and filters by transaction itself (see {@link TransactionCapture}). */
    @Override
    public boolean requiresPostCommitHandling(EntityPersister persister) {
        return false;
    }
}
