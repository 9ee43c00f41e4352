package dev.tocsin.gateway.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.gateway.testsupport.GatewayTest;
import dev.tocsin.gateway.testsupport.GatewayTestSupport;
import dev.tocsin.gateway.testsupport.TestClient;
import dev.tocsin.localinfra.DevJwt;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@GatewayTest
class AlertsEndpointAuthTest extends GatewayTestSupport {

    @Test
    void authorizationHeaderIsAccepted() {
        try (TestClient client = TestClient.connect(wsUri(), DevJwt.shared().token("alice", "viewer"))) {
            JsonNode hello = client.established();
            assertEquals(1, hello.path("v").asInt());
            assertEquals("alice", hello.path("user").asText());
            assertFalse(hello.path("connectionId").asText().isBlank());
            assertTrue(Duration.between(Instant.parse(hello.path("serverTime").asText()), Instant.now()).abs()
                    .compareTo(Duration.ofMinutes(1)) < 0);
            assertEquals(30_000, hello.path("heartbeatIntervalMs").asLong());
            assertEquals(65_536, hello.path("limits").path("maxFrameBytes").asInt());
        }
    }

    @Test
    void bearerTokenCarrierSubprotocolIsAccepted() {
        String token = DevJwt.shared().token("bob", "operator");
        try (TestClient client = TestClient.connect(wsUri(), b -> b.subprotocols("bearer-token-carrier",
                "quarkus-http-upgrade#Authorization#Bearer%20" + token))) {
            assertEquals("bob", client.established().path("user").asText());
            assertEquals("bearer-token-carrier", client.socket().getSubprotocol());
        }
    }

    @Test
    void accessTokenQueryParameterIsAccepted() {
        String token = DevJwt.shared().token("carol", "admin");
        try (TestClient client = TestClient.connect(wsUri("access_token=" + token), b -> { })) {
            assertEquals("carol", client.established().path("user").asText());
        }
    }

    @Test
    void missingTokenIsRefusedWith401() {
        assertEquals(401, TestClient.refusedStatus(wsUri(), b -> { }));
    }

    @Test
    void tokenSignedByAnotherKeyIsRefusedWith401() {
        String forged = DevJwt.generate().token("mallory", "admin");
        assertEquals(401, TestClient.refusedStatus(wsUri(), b -> b.header("Authorization", "Bearer " + forged)));
        assertEquals(401, TestClient.refusedStatus(wsUri("access_token=" + forged), b -> { }));
    }

    @Test
    void expiredTokenIsRefusedWith401() {
        String expired = DevJwt.shared().sign("alice", List.of("viewer"), Instant.now().minus(Duration.ofHours(2)),
                Instant.now().minus(Duration.ofHours(1)), DevJwt.ISSUER);
        assertEquals(401, TestClient.refusedStatus(wsUri(), b -> b.header("Authorization", "Bearer " + expired)));
    }

    /** The gateway uses smallrye-jwt's default clock-skew allowance, 60 s (mp.jwt.verify.clock.skew). */
    @Test
    void tokenIssuedBeyondTheClockSkewAllowanceIsRefusedWith401() {
        Instant now = Instant.now();
        String fromTheFuture = DevJwt.shared().sign("alice", List.of("viewer"), now.plus(Duration.ofHours(1)),
                now.plus(Duration.ofHours(2)), DevJwt.ISSUER);
        assertEquals(401, TestClient.refusedStatus(wsUri(), b -> b.header("Authorization", "Bearer " + fromTheFuture)));
        assertEquals(401, TestClient.refusedStatus(wsUri("access_token=" + fromTheFuture), b -> { }));
        String notYetValid = DevJwt.shared().sign("alice", List.of("viewer"), now, now.plus(Duration.ofHours(1)),
                now.plus(Duration.ofHours(2)), DevJwt.ISSUER);
        assertEquals(401, TestClient.refusedStatus(wsUri(), b -> b.header("Authorization", "Bearer " + notYetValid)));
    }

    @Test
    void tokenIssuedWithinTheClockSkewAllowanceIsAccepted() {
        Instant now = Instant.now();
        String slightlyAhead = DevJwt.shared().sign("alice", List.of("viewer"), now.plusSeconds(30),
                now.plus(Duration.ofHours(1)), DevJwt.ISSUER);
        try (TestClient client = TestClient.connect(wsUri(), slightlyAhead)) {
            assertEquals("alice", client.established().path("user").asText());
        }
        String validInHalfAMinute = DevJwt.shared().sign("alice", List.of("viewer"), now, now.plusSeconds(30),
                now.plus(Duration.ofHours(1)), DevJwt.ISSUER);
        try (TestClient client = TestClient.connect(wsUri(), validInHalfAMinute)) {
            assertEquals("alice", client.established().path("user").asText());
        }
    }

    @Test
    void tokenOfAnotherIssuerIsRefusedWith401() {
        String foreign = DevJwt.shared().sign("alice", List.of("viewer"), Instant.now(),
                Instant.now().plus(Duration.ofHours(1)), "https://elsewhere.example");
        assertEquals(401, TestClient.refusedStatus(wsUri(), b -> b.header("Authorization", "Bearer " + foreign)));
    }

    @Test
    void tokenWithoutClientRoleIsRefusedWith403() {
        String token = DevJwt.shared().token("dave", "some-audience-group");
        assertEquals(403, TestClient.refusedStatus(wsUri(), b -> b.header("Authorization", "Bearer " + token)));
        assertEquals(403, TestClient.refusedStatus(wsUri("access_token=" + token), b -> { }));
    }

    /** Producers hold publisher tokens: they create alerts over REST and must not receive everyone's alerts here. */
    @Test
    void publisherOnlyTokenIsRefusedWith403ButAViewingRoleBesideItIsAccepted() {
        String publisher = DevJwt.shared().token("sensor-7", "publisher");
        assertEquals(403, TestClient.refusedStatus(wsUri(), b -> b.header("Authorization", "Bearer " + publisher)));
        assertEquals(403, TestClient.refusedStatus(wsUri("access_token=" + publisher), b -> { }));
        try (TestClient client = TestClient.connect(wsUri(), DevJwt.shared().token("sensor-7", "publisher", "viewer"))) {
            assertEquals("sensor-7", client.established().path("user").asText());
        }
    }

    @Test
    void explicitHeaderWinsOverQueryParameter() {
        String good = DevJwt.shared().token("erin", "viewer");
        String forged = DevJwt.generate().token("mallory", "admin");
        try (TestClient client = TestClient.connect(wsUri("access_token=" + forged),
                b -> b.header("Authorization", "Bearer " + good))) {
            assertEquals("erin", client.established().path("user").asText());
        }
    }
}
