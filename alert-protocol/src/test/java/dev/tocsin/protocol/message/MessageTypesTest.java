package dev.tocsin.protocol.message;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageTypesTest {

    @Test
    void namesComeFromTheProtocolsOwnDeclarations() {
        assertEquals("pong", MessageTypes.of(new ServerMessage.Pong("r1", Instant.EPOCH)));
        assertEquals(MessageTypes.PING, MessageTypes.of(new ServerMessage.Ping(Instant.EPOCH)));
        assertEquals(MessageTypes.GAP, MessageTypes.of(new ServerMessage.Gap(1, 2, 2, "history_trimmed")));
        assertEquals(MessageTypes.INBOX, MessageTypes.of(new ServerMessage.Inbox(1, 0)));
    }

    @Test
    void everyDeclaredTypeIsListedOnce() {
        assertEquals(ServerMessage.class.getPermittedSubclasses().length, MessageTypes.all().size());
        for (String constant : new String[] {MessageTypes.ALERT, MessageTypes.ALERT_BATCH, MessageTypes.ALERT_UPDATE,
                MessageTypes.ALERT_ACK, MessageTypes.GAP, MessageTypes.PING, MessageTypes.INBOX}) {
            assertTrue(MessageTypes.all().contains(constant), constant);
        }
    }
}
