package dev.rowcast.impl.hibernate;

import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import dev.rowcast.Reactive;

@Entity
@Table(name = "post")
@Reactive(scopes = { "room", "id" }, channel = "posts")
public class Post {

    @Id
    @GeneratedValue
    Long id;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "room_id")
    Room room;

    @Column(name = "text_body")
    String text;

    boolean pinned;

    @ElementCollection
    List<String> tags = new ArrayList<>();

    protected Post() {
    }

    Post(Room room, String text) {
        this.room = room;
        this.text = text;
    }
}
