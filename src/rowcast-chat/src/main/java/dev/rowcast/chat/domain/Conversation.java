package dev.rowcast.chat.domain;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.Table;

@Entity
@Table(name = "conversation")
public class Conversation {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 200)
    private String title;

    /** A join entity, not an element collection: each membership is a row whose changes clients follow. */
    @OneToMany(mappedBy = "conversation", cascade = CascadeType.ALL, orphanRemoval = true)
    private Set<ConversationMember> members = new HashSet<>();

    protected Conversation() {
    }

    /** The creator is the first member. */
    public Conversation(String title, String creator) {
        this.title = title;
        this.members.add(new ConversationMember(this, creator));
    }

    public boolean hasMember(String user) {
        return members.stream().anyMatch(member -> member.getUsername().equals(user));
    }

    /** @return whether the user was not a member before */
    public boolean addMember(String user) {
        return !hasMember(user) && members.add(new ConversationMember(this, user));
    }

    public void removeMember(String user) {
        members.removeIf(member -> member.getUsername().equals(user));
    }

    public Set<String> getMembers() {
        return members.stream().map(ConversationMember::getUsername).collect(Collectors.toUnmodifiableSet());
    }

    public Long getId() {
        return id;
    }

    public String getTitle() {
        return title;
    }
}
