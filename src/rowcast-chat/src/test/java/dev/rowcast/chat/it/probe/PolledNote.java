package dev.rowcast.chat.it.probe;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.rowcast.Capture;
import dev.rowcast.Reactive;

/** Test probe: a table captured from the database in polling mode (no NOTIFY). */
@Entity
@Table(name = "polled_note")
@Reactive(scopes = "topic", capture = Capture.DATABASE)
public class PolledNote {

    @Id
    public Long id;

    public long topic;

    public String body;
}
