package com.example.board;

import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import dev.rowcast.Reactive;
import dev.rowcast.Snapshot;

/**
 * Clients subscribe to channel "task" (the table name) with scope {"col": "board_id", "value": 1}: they get the
 * board's tasks, then every committed insert, update and delete of a task on that board.
 */
@Entity
@Table(name = "task")
@Reactive(scopes = "board", snapshot = @Snapshot(limit = 100))
public class Task {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    // Lazy, and without bytecode enhancement a proxy: read it through getBoard(), never as a field from outside.
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    private Board board;

    private String title;

    private boolean done;

    // optimistic locking: concurrent writers fail instead of sending frames built on a stale read
    @Version
    private Long version;

    protected Task() {
    }

    public Task(Board board, String title) {
        this.board = board;
        this.title = title;
    }

    public Long getId() {
        return id;
    }

    public Board getBoard() {
        return board;
    }

    public void setBoard(Board board) {
        this.board = board;
    }

    public String getTitle() {
        return title;
    }

    public void setTitle(String title) {
        this.title = title;
    }

    public boolean isDone() {
        return done;
    }

    public void setDone(boolean done) {
        this.done = done;
    }
}
