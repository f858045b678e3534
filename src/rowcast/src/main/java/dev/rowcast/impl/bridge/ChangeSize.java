package dev.rowcast.impl.bridge;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

import dev.rowcast.EntityChange;

/**
 * Estimates, in bytes of heap, what Rowcast keeps of a change or a row, from its values. An estimate, not a
 * measurement: it is what the byte bounds on queues, replay history and held events count, so it errs on the large
 * side and costs no serialization.
 */
public final class ChangeSize {

    /** An EntityChange, its two maps and a StreamEvent/Position around it. */
    static final long CHANGE_OVERHEAD = 256;
    private static final long ENTRY = 48;
    private static final long OBJECT = 24;

    private ChangeSize() {
    }

    public static long of(EntityChange change) {
        return CHANGE_OVERHEAD + value(change.id()) + row(change.row()) + row(change.previous());
    }

    public static long of(Collection<CapturedChange> changes) {
        long bytes = 0;
        for (CapturedChange captured : changes) {
            bytes += of(captured.change());
        }
        return bytes;
    }

    /** A row as a map of column to value; column names are shared with the model and not counted. */
    public static long row(Map<String, Object> row) {
        long bytes = OBJECT;
        for (Object value : row.values()) {
            bytes += ENTRY + value(value);
        }
        return bytes;
    }

    /**
     * Roughly the characters the change takes as a frame's JSON: for bounds counted like frames (a socket's outbound
     * bound), where the heap estimate would count three or four times too much.
     */
    public static long text(EntityChange change) {
        return 160 + text(change.id()) + text(change.row()) + text(change.previous());
    }

    private static long text(Map<String, Object> row) {
        long chars = 2;
        for (Map.Entry<String, Object> entry : row.entrySet()) {
            chars += entry.getKey().length() + 4 + text(entry.getValue());
        }
        return chars;
    }

    private static long text(Object value) {
        if (value == null || value instanceof Boolean) {
            return 5;
        }
        if (value instanceof CharSequence text) {
            return text.length() + 2L;
        }
        if (value instanceof byte[] bytes) {
            return 4L * bytes.length / 3 + 4;
        }
        if (value instanceof Enum<?> constant) {
            return constant.name().length() + 2L;
        }
        if (value instanceof Number) {
            return 24;
        }
        return 40;
    }

    public static long value(Object value) {
        if (value == null || value instanceof Boolean || value instanceof Enum<?>) {
            return 0; // shared instances
        }
        if (value instanceof CharSequence text) {
            return 40 + 2L * text.length();
        }
        if (value instanceof byte[] bytes) {
            return 16 + bytes.length;
        }
        if (value instanceof BigDecimal decimal) {
            return 72 + decimal.unscaledValue().bitLength() / 8;
        }
        if (value instanceof BigInteger integer) {
            return 48 + integer.bitLength() / 8;
        }
        if (value instanceof Number) {
            return OBJECT;
        }
        return 64; // dates, times, UUIDs and the like
    }
}
