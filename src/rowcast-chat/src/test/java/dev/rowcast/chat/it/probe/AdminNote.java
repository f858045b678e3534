package dev.rowcast.chat.it.probe;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.rowcast.Reactive;

/** Test probe: a channel only admins may subscribe to, declaratively. */
@Entity
@Table(name = "admin_note")
@Reactive(scopes = "topic", rolesAllowed = "admin")
public class AdminNote {

    @Id
    Long id;

    Long topic;
}
