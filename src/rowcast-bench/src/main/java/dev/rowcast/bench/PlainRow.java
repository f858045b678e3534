package dev.rowcast.bench;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The same row as {@link BenchRow} without {@code @Reactive}: the write-path baseline. */
@Entity
@Table(name = "plain_row")
public class PlainRow {

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

    protected PlainRow() {
    }

    public PlainRow(long topic, long sentUs, String payload) {
        this.topic = topic;
        this.sentUs = sentUs;
        this.payload = payload;
    }

    public Long getId() {
        return id;
    }
}
