package dev.rowcast.chat.it.probe;

import jakarta.enterprise.context.ApplicationScoped;

import dev.rowcast.spi.RowFilter;
import dev.rowcast.spi.RowView;
import dev.rowcast.spi.RowVisibility;
import dev.rowcast.spi.Viewer;

/** Test probe: a row filter that throws an {@link Error} (not an exception) on messages saying "filter-error". */
@ApplicationScoped
public class FatalRowFilter implements RowFilter {

    @Override
    public boolean appliesTo(String channel) {
        return channel.equals("message");
    }

    @Override
    public RowVisibility filter(Viewer viewer, RowView row) {
        if ("filter-error".equals(row.getString("body"))) {
            throw new StallingObserver.ProbeError("probe: a row filter throws an Error");
        }
        return RowVisibility.VISIBLE;
    }
}
