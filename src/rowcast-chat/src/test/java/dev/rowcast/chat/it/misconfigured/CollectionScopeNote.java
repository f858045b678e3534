package dev.rowcast.chat.it.misconfigured;

import java.util.List;

import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import dev.rowcast.Reactive;

/** Misconfigured on purpose: a collection cannot be a scope. */
@Entity
@Reactive(scopes = "tags")
public class CollectionScopeNote {

    @Id
    Long id;

    @ElementCollection
    List<String> tags;
}
