package dev.rowcast.chat.it.probe;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.rowcast.Reactive;

/** Test probe: changes of one topic within 300 ms go out as one frame. */
@Entity
@Table(name = "batched_note")
@Reactive(scopes = "topic", batchMs = 300)
public class BatchedNote {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    Long topic;

    String text;

    protected BatchedNote() {
    }

    BatchedNote(long topic, String text) {
        this.topic = topic;
        this.text = text;
    }
}
