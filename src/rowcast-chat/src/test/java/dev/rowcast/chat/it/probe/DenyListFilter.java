package dev.rowcast.chat.it.probe;

import jakarta.enterprise.context.ApplicationScoped;

import dev.rowcast.spi.RowFilter;
import dev.rowcast.spi.RowView;
import dev.rowcast.spi.RowVisibility;
import dev.rowcast.spi.Viewer;

/**
 * Test probe on {@code secret_note}: a note whose text starts with "hidden" is hidden from all but admins (so an edit
 * makes it visible), and a note saying "deny-banned" is hidden from role {@code banned}, which the chat does not
 * record at the handshake: asking about it must throw, which hides the row (fail closed) instead of letting everyone
 * through. "deny-admin" is the same rule on a recorded role, for contrast.
 */
@ApplicationScoped
public class DenyListFilter implements RowFilter {

    @Override
    public boolean appliesTo(String channel) {
        return channel.equals("secret_note");
    }

    @Override
    public RowVisibility filter(Viewer viewer, RowView row) {
        String text = row.getString("text");
        if (text == null) {
            return RowVisibility.VISIBLE;
        }
        if (text.startsWith("hidden") && !viewer.isUserInRole("admin")) {
            return RowVisibility.HIDDEN;
        }
        if (text.equals("deny-banned") && viewer.isUserInRole("banned")) {
            return RowVisibility.HIDDEN;
        }
        if (text.equals("deny-admin") && viewer.isUserInRole("admin")) {
            return RowVisibility.HIDDEN;
        }
        return RowVisibility.VISIBLE;
    }
}
