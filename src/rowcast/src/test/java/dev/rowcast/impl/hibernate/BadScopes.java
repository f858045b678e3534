package dev.rowcast.impl.hibernate;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;

import dev.rowcast.Reactive;

/** Entities whose @Reactive is wrong, one mistake each. */
final class BadScopes {

    private BadScopes() {
    }

    @Entity
    @Reactive(scopes = "room_id")
    static class ColumnInsteadOfAttribute {
        @Id
        Long id;
        @ManyToOne
        Room room;
    }

    @Entity
    @Reactive(scopes = "nope")
    static class Unknown {
        @Id
        Long id;
    }

    @Entity
    @Reactive(scopes = "labels")
    static class OnCollection {
        @Id
        Long id;
        @ElementCollection
        List<String> labels;
    }

    @Entity
    @Reactive(scopes = "children")
    static class OnInverseSide {
        @Id
        Long id;
        @OneToMany
        List<Room> children;
    }

    @Embeddable
    static class Address {
        String city;
    }

    @Entity
    @Reactive(scopes = "address")
    static class OnEmbeddable {
        @Id
        Long id;
        @Embedded
        Address address;
    }

    @Entity
    @Reactive(scopes = "at")
    static class OnInstant {
        @Id
        Long id;
        Instant at;
    }

    @Entity
    @Reactive(scopes = {})
    static class NoScopes {
        @Id
        Long id;
    }
}
