package dev.rowcast.chat.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import dev.rowcast.Reactive;
import dev.rowcast.Snapshot;

/**
 * Subscribers of channel {@code message}, scope {@code conversation_id}, get the newest 100 messages of the
 * conversation, then every committed change.
 */
@Entity
@Table(name = "message")
@Reactive(scopes = "conversation", snapshot = @Snapshot(limit = 100, orderBy = "createdAt", descending = true))
public class Message {

    public static final int MAX_BODY = 4000;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "conversation_id", nullable = false)
    private Conversation conversation;

    @Column(nullable = false, length = 100)
    private String author;

    @Column(nullable = false, length = MAX_BODY)
    private String body;

    @Column(name = "private", nullable = false)
    private boolean privateMessage;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    /**
     * Optimistic locking: a writer that read a stale message fails instead of overwriting a concurrent move or edit.
     * Without it the database keeps a lost update, and each change frame describes what its writer believed.
     */
    @Version
    private Long version; // nullable: "update" can add it to a table that has rows

    protected Message() {
    }

    public Message(Conversation conversation, String author, String body, boolean privateMessage) {
        this.conversation = conversation;
        this.author = author;
        this.body = body;
        this.privateMessage = privateMessage;
        // microseconds: what both H2 and PostgreSQL store, so the row sent equals the row read back
        this.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    public Long getId() {
        return id;
    }

    public Conversation getConversation() {
        return conversation;
    }

    public void moveTo(Conversation target) {
        this.conversation = target;
    }

    public String getAuthor() {
        return author;
    }

    public String getBody() {
        return body;
    }

    public void setBody(String body) {
        this.body = body;
    }

    public boolean isPrivate() {
        return privateMessage;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
