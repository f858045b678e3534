package dev.rowcast;

/**
 * Thrown by a {@link Proposal} handler to refuse: the transaction rolls back and the proposer gets
 * {@code {"type":"error","code":"proposal_refused","reason":...,"message":...}}. Reason and message are shown to the
 * client; put nothing in them the caller may not know.
 */
public class ProposalRefused extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * @param reason a short code the client can act on, such as {@code not_member}
     * @param message for humans
     */
    public ProposalRefused(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
