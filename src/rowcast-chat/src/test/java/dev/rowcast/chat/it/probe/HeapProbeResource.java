package dev.rowcast.chat.it.probe;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Test probe: the server's heap after a full GC, for the fuzzer's before/after comparison, and the classes that hold
 * it (the JVM's class histogram, which runs a full GC first), with the live threads.
 */
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

    /** The top of {@code jcmd GC.class_histogram}: the classes with the most bytes live after a full GC. */
    @GET
    @Path("histogram")
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject histogram(@jakarta.ws.rs.QueryParam("top") @jakarta.ws.rs.DefaultValue("40") int top,
            @jakarta.ws.rs.QueryParam("match") String match) throws Exception {
        javax.management.ObjectName command = new javax.management.ObjectName(
                "com.sun.management:type=DiagnosticCommand");
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(command, "gcClassHistogram",
                new Object[] { new String[0] }, new String[] { String[].class.getName() });
        java.util.regex.Pattern wanted = java.util.regex.Pattern.compile(match == null ? "^$" : match);
        java.util.List<String> lines = text.lines().toList();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            // the top classes, then the ones asked for by name
            if (i < top + 2 || wanted.matcher(lines.get(i)).find()) {
                out.append(lines.get(i)).append('\n');
            }
        }
        // the container's HTTP workers each cache recycled requests: their number explains much of the heap's growth
        long http = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("http-thread-pool")).count();
        return Json.createObjectBuilder().add("histogram", out.toString())
                .add("threads", ManagementFactory.getThreadMXBean().getThreadCount()).add("httpThreads", http).build();
    }

    /**
     * The recycled Grizzly requests that the HTTP workers cache ({@code DefaultWorkerThread.objectCache}): how many,
     * and how many still name, through their input buffer's request packet, a closed TCP connection, or that
     * packet's header buffer (a slice of a 64 KB read buffer). Read by reflection, for LateInputGuard's reset.
     */
    @GET
    @Path("cached-requests")
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject cachedRequests() throws Exception {
        int workers = 0;
        java.util.Map<String, Integer> byClass = new java.util.TreeMap<>();
        int cached = 0;
        int closedConnection = 0;
        int headerBuffer = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (!isGrizzlyWorker(thread.getClass())) {
                continue;
            }
            workers++;
            Object elements = read(read(thread, "objectCache"), "objectCacheElements");
            for (int e = 0; elements != null && e < java.lang.reflect.Array.getLength(elements); e++) {
                Object element = java.lang.reflect.Array.get(elements, e);
                Object[] items = element == null ? new Object[0] : (Object[]) read(element, "cache");
                for (Object item : items) {
                    if (item != null) {
                        byClass.merge(item.getClass().getSimpleName(), 1, Integer::sum);
                    }
                    if (item == null || !isA(item.getClass(), "org.glassfish.grizzly.http.server.Request")) {
                        continue;
                    }
                    cached++;
                    Object packet = read(read(item, "inputBuffer"), "httpHeader");
                    Object connection = packet == null ? null : packet.getClass().getMethod("getConnection")
                            .invoke(packet);
                    if (connection != null && !(Boolean) connection.getClass().getMethod("isOpen").invoke(connection)) {
                        closedConnection++;
                    }
                    if (packet != null && read(packet, "headerBuffer") != null) {
                        headerBuffer++;
                    }
                }
            }
        }
        jakarta.json.JsonObjectBuilder classes = Json.createObjectBuilder();
        byClass.forEach(classes::add);
        return Json.createObjectBuilder().add("workers", workers).add("cached", cached)
                .add("namingClosedConnection", closedConnection).add("holdingHeaderBuffer", headerBuffer)
                .add("cachedByClass", classes).build();
    }

    private static boolean isGrizzlyWorker(Class<?> type) {
        return isA(type, "org.glassfish.grizzly.threadpool.DefaultWorkerThread");
    }

    private static boolean isA(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static Object read(Object target, String name) throws ReflectiveOperationException {
        if (target == null) {
            return null;
        }
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            try {
                java.lang.reflect.Field field = c.getDeclaredField(name);
                field.setAccessible(true);
                return field.get(target);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(target.getClass().getName() + "." + name);
    }
}
