package dev.rowcast.impl.protocol;

/** The {@code code} of an error frame. docs/protocol.md lists each with its meaning. */
public enum ErrorCode {

    INVALID_JSON("invalid_json"),
    INVALID_MESSAGE("invalid_message"),
    UNKNOWN_MESSAGE_TYPE("unknown_message_type"),
    UNKNOWN_CHANNEL("unknown_channel"),
    INVALID_SCOPE("invalid_scope"),
    FORBIDDEN("forbidden"),
    RATE_LIMITED("rate_limited"),
    TOO_MANY_SUBSCRIPTIONS("too_many_subscriptions"),
    REPLAY_UNAVAILABLE("replay_unavailable"),
    SNAPSHOT_UNAVAILABLE("snapshot_unavailable"),
    REVOKED("revoked"),
    SUBSCRIPTION_LOST("subscription_lost"),
    NOT_SUBSCRIBED("not_subscribed"),
    TOO_LARGE("too_large"),
    FULL("full"),
    UNKNOWN_PROPOSAL("unknown_proposal"),
    INVALID_PROPOSAL("invalid_proposal"),
    PROPOSAL_REFUSED("proposal_refused"),
    PROPOSAL_CONFLICT("proposal_conflict"),
    PROPOSAL_FAILED("proposal_failed"),
    OVERLOADED("overloaded");

    private final String wireName;

    ErrorCode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
