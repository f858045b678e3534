package dev.rowcast.impl.visibility;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.spi.RowFilter;

/** The row policy of each channel, or none when no filter applies and no column is restricted. Dispatch thread. */
final class RowPolicies {

    private final List<RowFilter> filters;
    private final Map<String, Optional<RowPolicy>> byChannel = new HashMap<>();

    RowPolicies(List<RowFilter> filters) {
        this.filters = List.copyOf(filters);
    }

    Optional<RowPolicy> of(ReactiveEntityModel model) {
        return byChannel.computeIfAbsent(model.channel(), channel -> {
            List<RowFilter> applicable = filters.stream().filter(filter -> filter.appliesTo(channel)).toList();
            return applicable.isEmpty() && model.visibleTo().isEmpty() ? Optional.empty()
                    : Optional.of(new RowPolicy(model.visibleTo(), applicable));
        });
    }
}
