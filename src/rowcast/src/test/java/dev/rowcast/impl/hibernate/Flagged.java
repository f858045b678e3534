package dev.rowcast.impl.hibernate;

import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.type.YesNoConverter;

import dev.rowcast.Reactive;

/** An attribute stored through a converter: 'Y'/'N' in the database, a boolean in Java. */
@Entity
@Table(name = "flagged")
@Reactive(scopes = "id")
public class Flagged {

    @Id
    Long id;

    @Convert(converter = YesNoConverter.class)
    boolean flag;
}
