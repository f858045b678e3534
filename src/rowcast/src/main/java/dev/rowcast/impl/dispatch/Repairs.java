package dev.rowcast.impl.dispatch;

import java.util.ArrayList;
import java.util.List;

import dev.rowcast.impl.bridge.LostChanges;
import dev.rowcast.spi.StreamId;

/**
 * What must be put right after a unit of work: streams whose changes were lost (reset, subscribers resync) and
 * subscriptions that missed an event (resync that one). Losses come from any thread; broken subscriptions only from
 * the dispatch thread. The dispatcher applies them between units, before the next task.
 */
final class Repairs {

    final LostChanges lost;
    private final List<Subscription> broken = new ArrayList<>();

    Repairs(int maxLostStreams) {
        this.lost = new LostChanges(maxLostStreams);
    }

    /** Any thread: the stream lost changes. */
    void streamLost(StreamId stream) {
        lost.addStream(stream);
    }

    /** Dispatch thread: the subscription missed an event and must resync. */
    void broken(Subscription subscription) {
        broken.add(subscription);
    }

    boolean isEmpty() {
        return broken.isEmpty() && lost.isEmpty();
    }

    List<Subscription> takeBroken() {
        List<Subscription> taken = List.copyOf(broken);
        broken.clear();
        return taken;
    }
}
