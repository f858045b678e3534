package dev.rowcast.spi;

/**
 * Per-row authorization. Every CDI bean of this type is asked for each (subscriber, row) before the subscriber's
 * frame is sent: live changes, snapshot rows and replayed changes alike. The strictest verdict wins: hidden beats
 * redacted, and dropped columns add up.
 * <p>
 * A filter that throws hides the row from that subscriber only (fail-closed); other subscribers of the same change
 * are unaffected. Subscribers with the same verdict share one serialized frame. Runs on Rowcast's dispatch thread:
 * decide from the row and the viewer, without I/O.
 */
public interface RowFilter {

    /** Whether this filter has a say on the channel at all; channels no filter applies to cost nothing. */
    default boolean appliesTo(String channel) {
        return true;
    }

    RowVisibility filter(Viewer viewer, RowView row);
}
