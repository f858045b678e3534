package dev.rowcast.chat.it.fuzz;

import java.util.List;

/**
 * What a generator asks a worker to do: write some WebSocket frames and expect a reply, control pongs, or the end
 * of the connection.
 *
 * @param generator the generator's name, as in {@code fuzz.skip} and the report
 * @param feature a known failure this step exercises (see {@link Fuzz#KNOWN_FAILING}), or null
 * @param wires the frames, written in order
 * @param reply the JSON reply due to the message these frames carry
 * @param pongs payloads of the pong control frames due to the pings among the wires, in order
 * @param end how the connection ends after this step, or null if it goes on
 */
record Step(String generator, String feature, List<Wire> wires, Expect reply, List<byte[]> pongs, End end) {

    /** One frame as written: its first byte (FIN, RSV and opcode), payload and masking; or bytes as they are. */
    record Wire(int first, byte[] payload, boolean masked, boolean raw) {

        static Wire frame(int first, byte[] payload) {
            return new Wire(first, payload, true, false);
        }

        /** A data frame that starts a message (not a continuation or control frame): what the server counts. */
        boolean startsMessage() {
            int opcode = first & 0x0F;
            return !raw && (opcode == FuzzSocket.TEXT || opcode == FuzzSocket.BINARY);
        }
    }

    enum EndKind { SERVER_CLOSES, RESET, FIN }

    /**
     * @param closeCodes for SERVER_CLOSES, the close codes the server may send; the step is sent alone unless
     *        {@code withOutstanding}
     * @param orReply the server may answer the frame normally instead of closing (the container's choice)
     * @param withOutstanding the step follows other frames without waiting for their replies, which may then be lost
     */
    record End(EndKind kind, int[] closeCodes, boolean orReply, boolean withOutstanding) {
    }

    Step withFeature(String name) {
        return new Step(generator, name, wires, reply, pongs, end);
    }

    /** Sent alone: its reply could come in either lane, or it ends the connection in a way that must be seen. */
    boolean alone() {
        return reply.barrier() || end != null && end.kind() == EndKind.SERVER_CLOSES && !end.withOutstanding();
    }
}
