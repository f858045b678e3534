import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import dev.rowcast.impl.outbox.OutboxSql;

/**
 * The write path under database capture: commits per second of many concurrent writers, each committing one small
 * insert per transaction, into a table without capture, with Rowcast's trigger (outbox row and NOTIFY), and with
 * the same trigger minus NOTIFY (what polling mode would cost). Runs in a schema of its own (rowcast_bench), so the
 * database's own capture objects are untouched. Run by scripts/benchmark.sh write-path; see docs/benchmarks.md.
 *
 * Args: jdbc-url threads seconds-per-mode rounds
 */
public class WritePath {

    private static final String SCHEMA = "rowcast_bench";

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/rowcast_capture";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        String install = OutboxSql.install(List.of("bench_write"));
        String withoutNotify = install.replace("PERFORM pg_notify('rowcast_outbox', '');", "");
        if (withoutNotify.equals(install)) {
            throw new IllegalStateException("the capture SQL no longer has the NOTIFY this benchmark removes");
        }
        try (Connection admin = connect(url)) {
            try (Statement statement = admin.createStatement()) {
                statement.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
                statement.execute("SET search_path = " + SCHEMA);
                statement.execute("CREATE TABLE IF NOT EXISTS bench_write (id bigserial PRIMARY KEY, topic bigint "
                        + "NOT NULL, body text NOT NULL)");
            }
            System.out.printf(Locale.ROOT, "write path: %d writers, %d s per mode, %d rounds, one insert per "
                    + "transaction%n", threads, seconds, rounds);
            System.out.printf(Locale.ROOT, "%-22s %8s %10s %10s %10s%n", "mode", "round", "commits", "commits/s",
                    "p99 ms");
            for (int round = 1; round <= rounds; round++) {
                for (String mode : List.of("no capture", "capture (NOTIFY)", "capture without NOTIFY")) {
                    prepare(admin, mode, install, withoutNotify);
                    Result result = measure(url, threads, seconds);
                    System.out.printf(Locale.ROOT, "%-22s %8d %10d %10.0f %10.1f%n", mode, round, result.commits,
                            result.commits / (double) seconds, result.p99Millis);
                    try (Statement statement = admin.createStatement()) {
                        statement.execute("TRUNCATE bench_write");
                        statement.execute("DROP TABLE IF EXISTS rowcast_outbox");
                        statement.execute("DROP SEQUENCE IF EXISTS rowcast_outbox_id_seq");
                    }
                }
            }
            try (Statement statement = admin.createStatement()) {
                statement.execute("DROP SCHEMA " + SCHEMA + " CASCADE");
            }
        }
    }

    private static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, System.getenv().getOrDefault("ROWCAST_DB_USER", "postgres"),
                System.getenv().getOrDefault("ROWCAST_DB_PASSWORD", "postgres"));
    }

    private static void prepare(Connection admin, String mode, String install, String withoutNotify)
            throws SQLException {
        try (Statement statement = admin.createStatement()) {
            statement.execute("DROP TRIGGER IF EXISTS rowcast_capture_bench_write ON bench_write");
            if (!mode.equals("no capture")) {
                statement.execute(mode.contains("without") ? withoutNotify : install);
            }
            statement.execute("VACUUM ANALYZE bench_write");
        }
    }

    private record Result(long commits, double p99Millis) {
    }

    private static Result measure(String url, int threads, int seconds) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        LongAdder commits = new LongAdder();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<long[]> latencies = new ArrayList<>();
        List<Thread> writers = new ArrayList<>();
        List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            long[] histogram = new long[10_001]; // per 0.1 ms up to 1 s
            latencies.add(histogram);
            int topic = t;
            Thread writer = new Thread(() -> {
                try (Connection connection = connect(url)) {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("SET search_path = " + SCHEMA);
                    }
                    try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO bench_write (topic, body) VALUES (?, ?)")) {
                        ready.countDown();
                        go.await();
                        long n = 0;
                        while (running.get()) {
                            long start = System.nanoTime();
                            insert.setLong(1, topic);
                            insert.setString(2, "row " + n++);
                            insert.executeUpdate(); // autocommit: one transaction per insert
                            long tenths = (System.nanoTime() - start) / 100_000;
                            histogram[(int) Math.min(tenths, histogram.length - 1)]++;
                            commits.increment();
                        }
                    }
                } catch (Exception e) {
                    failures.add(e);
                    ready.countDown();
                }
            });
            writers.add(writer);
            writer.start();
        }
        ready.await();
        go.countDown();
        Thread.sleep(seconds * 1_000L);
        running.set(false);
        for (Thread writer : writers) {
            writer.join();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        long[] all = new long[10_001];
        long total = 0;
        for (long[] histogram : latencies) {
            for (int i = 0; i < all.length; i++) {
                all[i] += histogram[i];
                total += histogram[i];
            }
        }
        long rank = (long) Math.ceil(total * 0.99);
        long seen = 0;
        int p99 = 0;
        for (int i = 0; i < all.length; i++) {
            seen += all[i];
            if (seen >= rank) {
                p99 = i;
                break;
            }
        }
        return new Result(commits.sum(), p99 / 10.0);
    }
}
