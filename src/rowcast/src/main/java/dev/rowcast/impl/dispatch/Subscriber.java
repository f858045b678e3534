package dev.rowcast.impl.dispatch;

import dev.rowcast.spi.Viewer;

/** Where a subscription's frames go: one client socket, and who is behind it. */
public interface Subscriber {

    /** Queues a frame for sending; never blocks. */
    void send(String frame);

    Viewer viewer();
}
