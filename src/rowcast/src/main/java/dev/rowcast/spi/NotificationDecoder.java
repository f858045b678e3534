package dev.rowcast.spi;

import java.util.Set;

/**
 * For applications whose own triggers already send PostgreSQL NOTIFY payloads: every CDI bean of this type turns
 * the payloads of its channel into the changes they name. Rowcast reads each named row back and records it in its
 * outbox, so decoded changes get the positions, commit order, authorization, redaction and replay of every other
 * database-captured change; a change not yet decoded when a snapshot is read arrives in it and live as well. Rowcast
 * installs and requires no trigger of its own on the decoder's tables.
 * <p>
 * One instance decodes at a time (a PostgreSQL advisory lock), so several instances record each change once.
 * NOTIFY is not durable: payloads sent while no instance listens are lost; Rowcast's own trigger is the way to
 * catch up after a dropped connection. Called on the decoder's own thread; a decoder that throws or returns
 * garbage, or a change the database refuses, is logged (ROWCAST-070, 071, 073) and the next payload is decoded as
 * usual.
 */
public interface NotificationDecoder {

    /** The NOTIFY channel the application's triggers send on. */
    String channel();

    /**
     * The tables (as the entities' {@code @Table} names them) whose changes this decoder reports; each must be the
     * table of a channel captured from the database.
     */
    Set<String> tables();

    /** @return the change the payload names, or {@link DecodedChange#skip()} for a payload that is not one */
    DecodedChange decode(String payload);
}
