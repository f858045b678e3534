package dev.rowcast.chat.it.probe;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.rowcast.Reactive;
import dev.rowcast.Snapshot;
import dev.rowcast.VisibleTo;

/** Test probe: a column only admins may see. */
@Entity
@Table(name = "secret_note")
@Reactive(scopes = "topic", snapshot = @Snapshot(limit = 10))
public class SecretNote {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    Long topic;

    String text;

    @VisibleTo("admin")
    String secret;

    protected SecretNote() {
    }

    SecretNote(long topic, String text, String secret) {
        this.topic = topic;
        this.text = text;
        this.secret = secret;
    }
}
