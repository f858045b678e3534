package dev.rowcast.chat.security;

import jakarta.enterprise.context.ApplicationScoped;

import dev.rowcast.spi.RowFilter;
import dev.rowcast.spi.RowView;
import dev.rowcast.spi.RowVisibility;
import dev.rowcast.spi.Viewer;

/** A private message reaches only its author and admins, live, in snapshots and in replay. */
@ApplicationScoped
public class PrivateMessageFilter implements RowFilter {

    @Override
    public boolean appliesTo(String channel) {
        return channel.equals("message");
    }

    @Override
    public RowVisibility filter(Viewer viewer, RowView row) {
        if (!row.getBoolean("private") || viewer.isUserInRole(Roles.ADMIN)) {
            return RowVisibility.VISIBLE;
        }
        String author = row.getString("author");
        return viewer.principal() != null && viewer.principal().getName().equals(author)
                ? RowVisibility.VISIBLE : RowVisibility.HIDDEN;
    }
}
