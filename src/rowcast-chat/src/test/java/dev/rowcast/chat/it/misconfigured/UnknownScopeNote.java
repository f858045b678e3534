package dev.rowcast.chat.it.misconfigured;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;

import dev.rowcast.Reactive;
import dev.rowcast.chat.domain.Conversation;

/** Misconfigured on purpose: the scope names the column, not the attribute. */
@Entity
@Reactive(scopes = "conversation_id")
public class UnknownScopeNote {

    @Id
    Long id;

    @ManyToOne
    Conversation conversation;
}
