package dev.rowcast.chat.it.probe;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.rowcast.Capture;
import dev.rowcast.Reactive;

/** Test probe: a table with the application's own NOTIFY trigger, which {@link ProbeDecoder} decodes. */
@Entity
@Table(name = "decoded_note")
@Reactive(scopes = "topic", capture = Capture.DATABASE)
public class DecodedNote {

    @Id
    public Long id;

    public long topic;

    public String body;
}
