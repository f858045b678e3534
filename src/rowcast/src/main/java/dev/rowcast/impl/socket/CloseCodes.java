package dev.rowcast.impl.socket;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCode;

/** The close codes Rowcast sends, as docs/protocol.md lists them. 4000-4999 are for private use (RFC 6455). */
final class CloseCodes {

    static final CloseCode CREDENTIAL_EXPIRED = CloseReason.CloseCodes.getCloseCode(4401);
    static final CloseCode HEARTBEAT_TIMEOUT = CloseReason.CloseCodes.getCloseCode(4408);
    static final CloseCode RATE_LIMITED = CloseReason.CloseCodes.getCloseCode(4429);
    static final CloseCode FELL_BEHIND = CloseReason.CloseCodes.getCloseCode(4499);

    private CloseCodes() {
    }

    static CloseReason reason(CloseCode code, String phrase) {
        return new CloseReason(code, phrase);
    }
}
