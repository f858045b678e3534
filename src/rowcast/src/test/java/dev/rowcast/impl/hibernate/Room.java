package dev.rowcast.impl.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

@Entity
public class Room {

    @Id
    Long id;

    String name;

    protected Room() {
    }

    Room(long id, String name) {
        this.id = id;
        this.name = name;
    }
}
