package dev.rowcast.chat.api;

import jakarta.json.Json;
import jakarta.persistence.OptimisticLockException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A concurrent edit of the same message: the client should reload and retry. */
@Provider
public class ConflictMapper implements ExceptionMapper<OptimisticLockException> {

    @Override
    public Response toResponse(OptimisticLockException exception) {
        return Response.status(Response.Status.CONFLICT).type(MediaType.APPLICATION_JSON)
                .entity(Json.createObjectBuilder().add("error", "the message was changed concurrently; reload it")
                        .build())
                .build();
    }
}
