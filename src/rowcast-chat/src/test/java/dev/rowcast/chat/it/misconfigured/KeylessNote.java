package dev.rowcast.chat.it.misconfigured;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.rowcast.Capture;
import dev.rowcast.Reactive;

/** Captured from the database, over a table the test creates without a primary key. */
@Entity
@Table(name = "keyless_note")
@Reactive(scopes = "topic", capture = Capture.DATABASE)
public class KeylessNote {

    @Id
    Long id;

    long topic;
}
