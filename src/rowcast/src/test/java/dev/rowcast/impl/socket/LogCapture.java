package dev.rowcast.impl.socket;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects the messages one class logs, between {@link #attach()} and {@link #detach()}. */
final class LogCapture extends Handler {

    private final Logger logger;
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    LogCapture(Class<?> source) {
        this.logger = Logger.getLogger(source.getName());
    }

    /** Live: sees every message logged while attached. */
    List<String> messages() {
        return messages;
    }

    /** Live: the records behind {@link #messages()}, for their level, source and throwable. */
    List<LogRecord> records() {
        return records;
    }

    void attach() {
        logger.addHandler(this);
    }

    void detach() {
        logger.removeHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
        messages.add(record.getMessage());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
