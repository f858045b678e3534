package dev.rowcast;

import java.util.List;

/** A misconfiguration found at deployment. The message lists every problem, each naming the class and the fix. */
public class RowcastConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public RowcastConfigurationException(List<String> problems) {
        super("Rowcast cannot start: " + problems.size() + " configuration problem(s):\n  - "
                + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public RowcastConfigurationException(String problem) {
        this(List.of(problem));
    }

    public List<String> problems() {
        return problems;
    }

    /**
     * One line for the top of the server log: the server goes on running after a failed deployment and buries the
     * stack trace hundreds of lines down, so Rowcast logs this first.
     */
    public String summary() {
        return "ROWCAST-001: Rowcast cannot start, so this application is not deployed (the server keeps running and answers 404): "
                + problems.size() + " configuration problem(s). First: " + problems.get(0);
    }
}
