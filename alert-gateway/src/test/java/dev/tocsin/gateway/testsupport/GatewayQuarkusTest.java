package dev.tocsin.gateway.testsupport;

import dev.tocsin.localinfra.DevJwt;

/** Helpers for endpoint tests: connected clients with real tokens. */
public abstract class GatewayQuarkusTest extends GatewayTestSupport {

    /** A client connected with a fresh token, its greeting already read. */
    protected TestClient connected(String user, String... groups) {
        awaitSubscribed();
        TestClient client = TestClient.connect(wsUri(), DevJwt.shared().token(user, groups));
        client.established();
        return client;
    }
}
