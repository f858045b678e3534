package dev.rowcast.chat.it.probe;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.rowcast.Capture;
import dev.rowcast.Reactive;

/** Test probe: a table with a text column of any size, captured from the database by its annotation. */
@Entity
@Table(name = "large_note")
@Reactive(scopes = "topic", capture = Capture.DATABASE)
public class LargeNote {

    @Id
    public Long id;

    public long topic;

    @Column(columnDefinition = "text")
    public String body;

    public byte[] data;
}
