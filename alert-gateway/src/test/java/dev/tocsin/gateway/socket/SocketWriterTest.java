package dev.tocsin.gateway.socket;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fan-out writes shared UTF-8 bytes straight to the Vert.x socket through a websockets-next accessor that is not
 * public API. If a Quarkus upgrade moves it, delivery still works (through {@code sendText}) but slower: this fails
 * so the upgrade is noticed. The Quarkus tests then cover both that frames arrive intact and in order.
 */
class SocketWriterTest {

    @Test
    void theVertxSocketIsReachableWithThisQuarkusVersion() {
        assertTrue(SocketWriter.directWritesAvailable(),
                "WebSocketConnectionBase.webSocket() was not found: see SocketWriter");
    }
}
