package dev.rowcast.impl.protocol;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCode;

/** The close codes Rowcast sends, as docs/protocol.md lists them. 4000-4999 are for private use (RFC 6455). */
public final class CloseCodes {

    public static final CloseCode TOO_BIG = CloseReason.CloseCodes.TOO_BIG;
    public static final CloseCode SEND_FAILED = CloseReason.CloseCodes.UNEXPECTED_CONDITION;
    public static final CloseCode CREDENTIAL_EXPIRED = CloseReason.CloseCodes.getCloseCode(4401);
    public static final CloseCode HEARTBEAT_TIMEOUT = CloseReason.CloseCodes.getCloseCode(4408);
    public static final CloseCode RATE_LIMITED = CloseReason.CloseCodes.getCloseCode(4429);
    public static final CloseCode FELL_BEHIND = CloseReason.CloseCodes.getCloseCode(4499);

    private CloseCodes() {
    }

    public static CloseReason reason(CloseCode code, String phrase) {
        return new CloseReason(code, phrase);
    }
}
