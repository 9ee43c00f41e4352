package dev.tocsin.gateway.hub;

import dev.tocsin.gateway.auth.GatewayPrincipal;
import dev.tocsin.gateway.testsupport.Events;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AudienceRoutingTest {

    private static final GatewayPrincipal ALICE = new GatewayPrincipal("alice", Set.of("viewer", "north"), null);
    private static final GatewayPrincipal BOB = new GatewayPrincipal("bob", Set.of("viewer"), null);

    @Test
    void alertWithoutAudienceReachesEveryone() {
        AlertEvent event = Events.created("a", null);
        assertTrue(AudienceRouting.reaches(event, ALICE));
        assertTrue(AudienceRouting.reaches(event, BOB));
    }

    @Test
    void everyoneAudienceReachesEveryone() {
        assertTrue(AudienceRouting.reaches(Events.created("a", Audience.EVERYONE), BOB));
    }

    @Test
    void userAudienceReachesListedUsersOnly() {
        AlertEvent event = Events.created("a", Audience.of(List.of("alice"), List.of()));
        assertTrue(AudienceRouting.reaches(event, ALICE));
        assertFalse(AudienceRouting.reaches(event, BOB));
    }

    @Test
    void groupAudienceReachesMembersOnly() {
        AlertEvent event = Events.created("a", Audience.of(List.of(), List.of("north")));
        assertTrue(AudienceRouting.reaches(event, ALICE));
        assertFalse(AudienceRouting.reaches(event, BOB));
    }

    @Test
    void emptyNonEveryoneAudienceReachesNobody() {
        AlertEvent event = Events.created("a", Audience.of(List.of(), List.of()));
        assertFalse(AudienceRouting.reaches(event, ALICE));
        assertFalse(AudienceRouting.reaches(event, BOB));
    }

    @Test
    void idOnlyDeleteReachesEveryone() {
        assertTrue(AudienceRouting.reaches(Events.deleted("a"), BOB));
    }

    @Test
    void deleteWithBodyFollowsTheAudience() {
        AlertEvent event = new AlertEvent("e", 1, ChangeOp.DELETED, "a",
                Events.alert("a", Audience.of(List.of("alice"), List.of())), "c", Instant.now());
        assertTrue(AudienceRouting.reaches(event, ALICE));
        assertFalse(AudienceRouting.reaches(event, BOB));
    }

    @Test
    void createWithoutBodyReachesNobody() {
        AlertEvent event = new AlertEvent("e", 1, ChangeOp.CREATED, "a", null, "c", Instant.now());
        assertFalse(AudienceRouting.reaches(event, ALICE));
    }
}
