package dev.rowcast.impl.dispatch;

import dev.rowcast.spi.Viewer;

/** Where a subscription's frames go: one client socket, and who is behind it. */
public interface Subscriber {

    /** Queues a frame for sending; never blocks. */
    void send(String frame);

    Viewer viewer();

    /** False once the socket is closing or closed: nothing may subscribe it any more. */
    boolean isOpen();
}
