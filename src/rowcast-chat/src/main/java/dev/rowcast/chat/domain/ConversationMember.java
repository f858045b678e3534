package dev.rowcast.chat.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

import dev.rowcast.Reactive;
import dev.rowcast.Snapshot;

/**
 * One user's membership of one conversation: the join entity through which the chat's lists are live. Channel
 * {@code membership} by {@code username} is a user's conversations (someone adds you: the row arrives); by
 * {@code conversation_id} it is a conversation's member list.
 */
@Entity
@Table(name = "membership", uniqueConstraints = @UniqueConstraint(columnNames = { "conversation_id", "username" }))
@Reactive(scopes = { "username", "conversation" }, snapshot = @Snapshot(limit = 1000, orderBy = "username"))
public class ConversationMember {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "conversation_id", nullable = false)
    private Conversation conversation;

    @Column(nullable = false, length = 100)
    private String username;

    protected ConversationMember() {
    }

    ConversationMember(Conversation conversation, String username) {
        this.conversation = conversation;
        this.username = username;
    }

    public String getUsername() {
        return username;
    }
}
