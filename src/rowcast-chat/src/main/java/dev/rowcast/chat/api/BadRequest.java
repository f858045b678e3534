package dev.rowcast.chat.api;

import jakarta.json.Json;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

/** A client error with a JSON body {@code {"error": "..."}}. Unchecked, so it rolls back the transaction. */
final class BadRequest extends WebApplicationException {

    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
        this(Status.BAD_REQUEST, message);
    }

    BadRequest(Status status, String message) {
        super(message, Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Json.createObjectBuilder().add("error", message).build()).build());
    }

    static BadRequest notFound(String what) {
        return new BadRequest(Status.NOT_FOUND, what + " not found");
    }
}
