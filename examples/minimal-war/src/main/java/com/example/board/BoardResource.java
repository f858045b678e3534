package com.example.board;

import jakarta.enterprise.context.RequestScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.MediaType;

/**
 * Plain JPA writes. Each method is one JTA transaction; Rowcast sends its changes once it has committed.
 * POST /api/boards {"name": "..."}, POST /api/boards/{id}/tasks {"title": "..."},
 * PUT /api/tasks/{id} {"title": "...", "done": true, "board": 2}, DELETE /api/tasks/{id}.
 */
@Path("/")
@RequestScoped
@Transactional
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class BoardResource {

    @ApplicationPath("/api")
    public static class RestApplication extends Application {
    }

    public record BoardJson(Long id, String name) {
    }

    public record TaskJson(Long id, Long board, String title, Boolean done) {

        static TaskJson of(Task task) {
            return new TaskJson(task.getId(), task.getBoard().getId(), task.getTitle(), task.isDone());
        }
    }

    @PersistenceContext
    EntityManager em;

    @POST
    @Path("boards")
    public BoardJson createBoard(BoardJson body) {
        Board board = new Board(body.name());
        em.persist(board);
        return new BoardJson(board.getId(), board.getName());
    }

    @POST
    @Path("boards/{id}/tasks")
    public TaskJson addTask(@PathParam("id") long boardId, TaskJson body) {
        Task task = new Task(em.getReference(Board.class, boardId), body.title());
        em.persist(task);
        return TaskJson.of(task);
    }

    /** Changes the fields the body has; a new board moves the task (a "leave" and an "enter" on the wire). */
    @PUT
    @Path("tasks/{id}")
    public TaskJson updateTask(@PathParam("id") long id, TaskJson body) {
        Task task = find(id);
        if (body.title() != null) {
            task.setTitle(body.title());
        }
        if (body.done() != null) {
            task.setDone(body.done());
        }
        if (body.board() != null) {
            task.setBoard(em.getReference(Board.class, body.board()));
        }
        return TaskJson.of(task);
    }

    @DELETE
    @Path("tasks/{id}")
    public void deleteTask(@PathParam("id") long id) {
        em.remove(find(id));
    }

    private Task find(long id) {
        Task task = em.find(Task.class, id);
        if (task == null) {
            throw new NotFoundException();
        }
        return task;
    }
}
