package dev.rowcast.chat.it.probe;

import jakarta.enterprise.context.ApplicationScoped;

import dev.rowcast.spi.RowFilter;
import dev.rowcast.spi.RowView;
import dev.rowcast.spi.RowVisibility;
import dev.rowcast.spi.Viewer;

/** Test probe: a buggy filter that throws for bob on messages saying "boom". */
@ApplicationScoped
public class ThrowingRowFilter implements RowFilter {

    @Override
    public boolean appliesTo(String channel) {
        return channel.equals("message");
    }

    @Override
    public RowVisibility filter(Viewer viewer, RowView row) {
        if (viewer.principal() != null && viewer.principal().getName().equals("bob")
                && "boom".equals(row.getString("body"))) {
            throw new IllegalStateException("probe: this filter fails for bob");
        }
        return RowVisibility.VISIBLE;
    }
}
