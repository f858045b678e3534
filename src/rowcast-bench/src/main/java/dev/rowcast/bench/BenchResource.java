package dev.rowcast.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.websocket.Session;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * Drives load from inside the server, so no HTTP request is spent per change. Every loop is bounded by a count
 * and by {@code maxSeconds}.
 */
@Path("bench")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class BenchResource {

    /** 100 bytes of ASCII: the row payload of every scenario. */
    static final String PAYLOAD = "0123456789".repeat(10);
    private static final int MAX_N = 2_000_000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Inject
    Writer writer;

    /**
     * {@code n} single-row commits, topic {@code i % topics}, each in its own transaction. {@code rate} 0 means flat
     * out; otherwise commits are paced to that many per second (a late commit is not followed by a burst).
     */
    @POST
    @Path("commit")
    public JsonObject commit(@QueryParam("n") @DefaultValue("1000") int n,
            @QueryParam("reactive") @DefaultValue("true") boolean reactive,
            @QueryParam("topics") @DefaultValue("10") int topics,
            @QueryParam("rate") @DefaultValue("0") int rate,
            @QueryParam("maxSeconds") @DefaultValue("60") int maxSeconds) {
        Loop loop = new Loop(n, rate, maxSeconds);
        int done = 0;
        for (; done < loop.n && loop.next(done); done++) {
            if (reactive) {
                writer.reactive(done % topics, PAYLOAD);
            } else {
                writer.plain(done % topics, PAYLOAD);
            }
        }
        return loop.result(done, done);
    }

    /**
     * The naive baseline: {@code n} frames shaped like Rowcast's change frame (same fields, same payload), each sent
     * to every {@code /raw} session of its topic with plain {@code getAsyncRemote().sendText}, on this request
     * thread. {@code tccl=system} sets the thread's context class loader to the system loader while sending, the
     * one workaround Rowcast applies (see PLATFORM.md).
     */
    @POST
    @Path("raw")
    public JsonObject raw(@QueryParam("n") @DefaultValue("1000") int n,
            @QueryParam("topics") @DefaultValue("10") int topics,
            @QueryParam("rate") @DefaultValue("0") int rate,
            @QueryParam("tccl") @DefaultValue("app") String tccl,
            @QueryParam("maxSeconds") @DefaultValue("60") int maxSeconds) {
        Thread thread = Thread.currentThread();
        ClassLoader appLoader = thread.getContextClassLoader();
        if ("system".equals(tccl)) {
            thread.setContextClassLoader(ClassLoader.getSystemClassLoader());
        }
        try {
            Loop loop = new Loop(n, rate, maxSeconds);
            int done = 0;
            long frames = 0;
            for (; done < loop.n && loop.next(done); done++) {
                long topic = done % topics;
                String frame = frame(done + 1L, topic, Writer.nowMicros());
                for (Session session : RawEndpoint.sessions(topic)) {
                    session.getAsyncRemote().sendText(frame);
                    frames++;
                }
            }
            return loop.result(done, frames);
        } finally {
            thread.setContextClassLoader(appLoader);
        }
    }

    /**
     * What every live thread of this server has allocated so far, in bytes: before and after a scenario, divided by
     * the frames delivered, it is the garbage per frame. Threads that ended meanwhile are not counted, so it is a
     * floor; the sending threads live as long as the server.
     */
    @GET
    @Path("allocated")
    public JsonObject allocated() {
        long bytes = 0;
        if (THREADS instanceof com.sun.management.ThreadMXBean counting) {
            for (long allocated : counting.getThreadAllocatedBytes(THREADS.getAllThreadIds())) {
                bytes += Math.max(0, allocated); // -1: the thread ended between the two calls
            }
        }
        return Json.createObjectBuilder().add("bytes", bytes).build();
    }

    static String frame(long id, long topic, long sentUs) {
        return "{\"type\":\"change\",\"channel\":\"bench_row\",\"scope\":{\"col\":\"topic\",\"value\":" + topic
                + "},\"event\":{\"type\":\"afterInsert\",\"table\":\"bench_row\",\"primaryKey\":{\"id\":" + id
                + "},\"row\":{\"id\":" + id + ",\"payload\":\"" + PAYLOAD + "\",\"sent_us\":" + sentUs
                + ",\"topic\":" + topic + "}}}";
    }

    /** Count, pace and time bound of one driver loop, plus the driving thread's CPU. */
    private static final class Loop {
        final int n;
        final int rate;
        final long start = System.nanoTime();
        final long deadline;
        final long cpuStart = THREADS.getCurrentThreadCpuTime();

        Loop(int n, int rate, int maxSeconds) {
            this.n = Math.max(0, Math.min(n, MAX_N));
            this.rate = Math.max(0, rate);
            this.deadline = start + TimeUnit.SECONDS.toNanos(Math.max(1, Math.min(maxSeconds, 600)));
        }

        /** Waits for item {@code i}'s slot; false once the time bound is reached. */
        boolean next(int i) {
            long now = System.nanoTime();
            if (now >= deadline) {
                return false;
            }
            if (rate > 0) {
                long due = start + i * 1_000_000_000L / rate;
                while (now < due) {
                    LockSupport.parkNanos(due - now);
                    now = System.nanoTime();
                }
            }
            return true;
        }

        JsonObject result(int done, long sends) {
            double seconds = (System.nanoTime() - start) / 1e9;
            return Json.createObjectBuilder()
                    .add("n", done)
                    .add("sends", sends)
                    .add("seconds", seconds)
                    .add("perSecond", seconds > 0 ? done / seconds : 0)
                    .add("threadCpuUs", (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1_000)
                    .build();
        }
    }
}
