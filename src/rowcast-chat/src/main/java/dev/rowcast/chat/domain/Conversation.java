package dev.rowcast.chat.domain;

import java.util.HashSet;
import java.util.Set;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "conversation")
public class Conversation {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 200)
    private String title;

    @ElementCollection
    @CollectionTable(name = "conversation_member", joinColumns = @JoinColumn(name = "conversation_id"))
    @Column(name = "username", nullable = false, length = 100)
    private Set<String> members = new HashSet<>();

    protected Conversation() {
    }

    /** The creator is the first member. */
    public Conversation(String title, String creator) {
        this.title = title;
        this.members.add(creator);
    }

    public boolean hasMember(String user) {
        return members.contains(user);
    }

    public void addMember(String user) {
        members.add(user);
    }

    public void removeMember(String user) {
        members.remove(user);
    }

    public Set<String> getMembers() {
        return Set.copyOf(members);
    }

    public Long getId() {
        return id;
    }

    public String getTitle() {
        return title;
    }
}
