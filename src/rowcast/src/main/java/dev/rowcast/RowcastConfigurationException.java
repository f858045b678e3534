package dev.rowcast;

import java.util.List;

/** A misconfiguration found at deployment. The message lists every problem, each naming the class and the fix. */
public class RowcastConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RowcastConfigurationException(List<String> problems) {
        super("Rowcast cannot start: " + problems.size() + " configuration problem(s):\n  - "
                + String.join("\n  - ", problems));
    }

    public RowcastConfigurationException(String problem) {
        this(List.of(problem));
    }
}
