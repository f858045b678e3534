package dev.rowcast.impl.outbox;

/** What the capture's own threads (outbox reader, notification listener) share: how they stop and back off. */
final class CaptureThreads {

    private CaptureThreads() {
    }

    /** Interrupts the thread and waits up to 2 s for it: it leaves its loop at the next wait. */
    static void stop(Thread thread) {
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A backoff; an interrupt ends it and stays set, so the caller's loop sees it. */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
