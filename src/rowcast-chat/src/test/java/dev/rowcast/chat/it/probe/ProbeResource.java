package dev.rowcast.chat.it.probe;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Test probe: what {@link ChangeRecorder} saw for one conversation. */
@Path("it/observed")
public class ProbeResource {

    @Inject
    ChangeRecorder recorder;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public JsonArray observed(@QueryParam("conversation") long conversation) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        recorder.observed().stream()
                .filter(o -> o.conversationId() != null && ((Number) o.conversationId()).longValue() == conversation)
                .forEach(o -> array.add(Json.createObjectBuilder().add("type", o.type())
                        .add("id", ((Number) o.id()).longValue()).add("thread", o.thread())));
        return array.build();
    }
}
