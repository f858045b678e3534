package dev.rowcast.chat.it.probe;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

import dev.rowcast.Reactive;
import dev.rowcast.Snapshot;

/** Test probe: writes work, but every read of it names a column that does not exist, so its snapshot always fails. */
@Entity
@Table(name = "fragile_note")
@Reactive(scopes = "topic", snapshot = @Snapshot(limit = 10))
public class FragileNote {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    Long topic;

    @ColumnTransformer(read = "no_such_column")
    Integer weight = 1;

    protected FragileNote() {
    }

    public FragileNote(long topic) {
        this.topic = topic;
    }
}
