package dev.rowcast.bench;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.rowcast.Reactive;

/** Pushed to subscribers of channel {@code bench_row}, scope column {@code topic}. */
@Entity
@Table(name = "bench_row")
@Reactive(scopes = "topic")
public class BenchRow {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private Long topic;

    /** Wall-clock microseconds taken just before persist: clients compute commit-to-client latency from it. */
    @Column(name = "sent_us", nullable = false)
    private long sentUs;

    @Column(nullable = false, length = 200)
    private String payload;

    protected BenchRow() {
    }

    public BenchRow(long topic, long sentUs, String payload) {
        this.topic = topic;
        this.sentUs = sentUs;
        this.payload = payload;
    }

    public Long getId() {
        return id;
    }
}
