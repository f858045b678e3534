package dev.rowcast.impl.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class RowcastMetricsTest {

    @Test
    void should_count_closes_by_code_with_other_for_the_rest_and_keep_the_latest() {
        RowcastMetrics metrics = RowcastMetrics.local();
        metrics.opened();
        metrics.opened();
        metrics.opened();
        metrics.closed(4499);
        metrics.closed(3999);
        assertEquals(1, metrics.closesByCode().get("4499"));
        assertEquals(1, metrics.closesByCode().get("other"));
        assertEquals(1, metrics.connectionsOpen());
        assertEquals(List.of(4499, 3999), metrics.recentCloses().stream().map(RowcastMetrics.Close::code).toList());
        for (int i = 0; i < 30; i++) {
            metrics.closed(1000);
        }
        assertEquals(20, metrics.recentCloses().size(), "bounded");
    }

    @Test
    void should_read_quantiles_of_one_interval_from_bucket_counts() {
        Buckets buckets = new Buckets(1, 10, 100);
        buckets.record(500); // before the interval
        long[] before = buckets.counts();
        assertEquals(-1, buckets.quantile(before, buckets.counts(), 0.5), "nothing in the interval");
        for (int i = 0; i < 98; i++) {
            buckets.record(5);
        }
        buckets.record(50);
        buckets.record(5_000);
        long[] after = buckets.counts();
        assertEquals(10, buckets.quantile(before, after, 0.5));
        assertEquals(100, buckets.quantile(before, after, 0.99));
        assertEquals(Long.MAX_VALUE, buckets.quantile(before, after, 1.0));
    }
}
