package dev.tocsin.gateway.delivery;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fan-out writes shared UTF-8 bytes straight to the Vert.x socket through a websockets-next accessor that is not
 * public API. If a Quarkus upgrade moves it, delivery still works (through {@code sendText}) but slower: this fails
 * so the upgrade is noticed. The Quarkus tests then cover both that frames arrive intact and in order.
 */
class SocketAccessTest {

    @Test
    void theVertxSocketIsReachableWithThisQuarkusVersion() {
        assertTrue(SocketAccess.available(), "WebSocketConnectionBase.webSocket() was not found: see SocketAccess");
    }
}
