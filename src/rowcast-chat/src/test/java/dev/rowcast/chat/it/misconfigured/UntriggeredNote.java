package dev.rowcast.chat.it.misconfigured;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.rowcast.Capture;
import dev.rowcast.Reactive;

/** Captured from the database, deployed with trigger installation off and no trigger on its table. */
@Entity
@Table(name = "untriggered_note")
@Reactive(scopes = "topic", capture = Capture.DATABASE)
public class UntriggeredNote {

    @Id
    Long id;

    long topic;
}
