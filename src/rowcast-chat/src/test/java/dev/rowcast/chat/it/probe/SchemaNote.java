package dev.rowcast.chat.it.probe;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.rowcast.Capture;
import dev.rowcast.Reactive;

/** Test probe: a table in a schema of its own, captured from the database. */
@Entity
@Table(schema = "rowcast_it", name = "schema_note")
@Reactive(scopes = "topic", capture = Capture.DATABASE)
public class SchemaNote {

    @Id
    public Long id;

    public long topic;

    public String body;
}
