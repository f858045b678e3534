package dev.rowcast.chat.it.probe;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import dev.rowcast.EntityChange;
import dev.rowcast.Reactive;

/** Test probe: an application observer, written as the README tells users to write one. */
@ApplicationScoped
public class ChangeRecorder {

    public record Observed(String type, Object id, Object conversationId, String thread) {
    }

    private final List<Observed> observed = new CopyOnWriteArrayList<>();

    void onChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) @Reactive EntityChange change) {
        if (!"message".equals(change.table())) {
            return; // memberships are reactive too; the tests look at messages
        }
        observed.add(new Observed(change.type().wireName(), change.id(), change.row().get("conversation_id"),
                Thread.currentThread().getName()));
    }

    public List<Observed> observed() {
        return observed;
    }
}
