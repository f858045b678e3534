package dev.rowcast.chat.it.probe;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import dev.rowcast.Capture;
import dev.rowcast.Reactive;

/**
 * Test probe: the chat's message table mapped a second time, captured by JPA on channel {@code message_jpa}. A write
 * through it reaches channel {@code message} through the database trigger and this channel through Hibernate, so
 * the two frames of one change can be compared.
 */
@Entity
@Table(name = "message")
@Reactive(channel = "message_jpa", scopes = "conversationId", capture = Capture.JPA)
public class MessageMirror {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "conversation_id", nullable = false)
    public Long conversationId;

    @Column(nullable = false, length = 100)
    public String author;

    @Column(nullable = false, length = 4000)
    public String body;

    @Column(name = "private", nullable = false)
    public boolean privateMessage;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Version
    public Long version;
}
