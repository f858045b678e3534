package dev.rowcast.chat.it.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions on a Payara Micro log, as an operator reads it after a failed deployment. */
public final class DeploymentLog {

    private DeploymentLog() {
    }

    /** A user scanning the log for the first SEVERE record must find Rowcast's fix there, not a stack trace. */
    public static void assertFirstSevere(String log, String expected) {
        int first = log.indexOf("SEVERE"); // "[SEVERE]" or "SEVERE:", whichever format the console uses
        int summary = log.indexOf(expected);
        assertTrue(first >= 0 && summary > first && !log.substring(first + 6, summary).contains("SEVERE"),
                "the first SEVERE record should say:\n" + expected + "\nbut the log from it reads:\n"
                        + log.substring(Math.max(0, first), Math.min(log.length(), Math.max(0, first) + 3000)));
    }

    public static void assertContains(String log, String expected) {
        assertTrue(log.contains(expected), "the log should contain:\n" + expected + "\n--- log tail ---\n"
                + log.substring(Math.max(0, log.length() - 6000)));
    }
}
