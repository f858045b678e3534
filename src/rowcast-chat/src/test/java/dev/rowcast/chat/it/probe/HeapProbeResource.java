package dev.rowcast.chat.it.probe;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Test probe: the server's heap after a full GC, for the fuzzer's before/after comparison. */
@Path("it/heap")
public class HeapProbeResource {

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject heap() throws InterruptedException {
        // twice, with a pause: objects with finalizers or cleaners need a second collection to go
        for (int i = 0; i < 2; i++) {
            System.gc();
            Thread.sleep(200);
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return Json.createObjectBuilder().add("used", heap.getUsed()).add("committed", heap.getCommitted())
                .add("max", heap.getMax()).build();
    }
}
