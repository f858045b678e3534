package dev.rowcast.chat.it.misconfigured;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import dev.rowcast.Reactive;

/** Misconfigured on purpose: an Instant is no equality key. */
@Entity
@Reactive(scopes = "createdAt")
public class TemporalScopeNote {

    @Id
    Long id;

    Instant createdAt;
}
