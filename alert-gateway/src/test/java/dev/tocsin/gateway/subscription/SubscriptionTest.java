package dev.tocsin.gateway.subscription;

import dev.tocsin.gateway.auth.GatewayPrincipal;
import dev.tocsin.gateway.testsupport.Events;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.filter.AlertFilter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubscriptionTest {

    private static final GatewayPrincipal ALICE = new GatewayPrincipal("alice", Set.of("viewer", "north"), null);

    @Test
    void availableGroupsAreEveryoneDirectAndTheTokensGroups() {
        assertEquals(Set.of("everyone", "direct", "viewer", "north"), AlertGroups.available(ALICE));
    }

    @Test
    void initialSubscriptionTakesEveryGroupOfTheAlert() {
        Subscription all = Subscription.initial(ALICE);
        assertTrue(all.wants(Events.alert("a", Audience.EVERYONE), ALICE));
        assertTrue(all.wants(Events.alert("b", Audience.of(List.of("alice"), List.of())), ALICE));
        assertTrue(all.wants(Events.alert("c", Audience.of(List.of(), List.of("north"))), ALICE));
    }

    @Test
    void eachGroupCanBeLeft() {
        Subscription onlyDirect = Subscription.initial(ALICE).withGroups(Set.of("direct"));
        assertFalse(onlyDirect.wants(Events.alert("a", Audience.EVERYONE), ALICE));
        assertTrue(onlyDirect.wants(Events.alert("b", Audience.of(List.of("alice"), List.of("north"))), ALICE));
        assertFalse(onlyDirect.wants(Events.alert("c", Audience.of(List.of(), List.of("north"))), ALICE));

        Subscription onlyNorth = Subscription.initial(ALICE).withGroups(Set.of("north"));
        assertTrue(onlyNorth.wants(Events.alert("c", Audience.of(List.of(), List.of("north"))), ALICE));
        assertFalse(onlyNorth.wants(Events.alert("d", Audience.of(List.of(), List.of("south"))), ALICE));
    }

    @Test
    void aSubscribedGroupTheTokenLacksNeverMatches() {
        Subscription forged = new Subscription(Set.of("south"), AlertFilter.NONE);
        assertFalse(forged.wants(Events.alert("d", Audience.of(List.of(), List.of("south"))), ALICE));
    }

    @Test
    void filtersApplyOnTopOfGroups() {
        Subscription criticalOnly = Subscription.initial(ALICE)
                .withFilters(new AlertFilter(Set.of(Priority.CRITICAL), null, null, null, null));
        Alert critical = Events.alert("a", Audience.EVERYONE, Priority.CRITICAL);
        Alert low = Events.alert("b", Audience.EVERYONE, Priority.LOW);
        assertTrue(criticalOnly.wants(critical, ALICE));
        assertFalse(criticalOnly.wants(low, ALICE));
        assertEquals(List.of("direct", "everyone", "north", "viewer"), criticalOnly.sortedGroups());
    }
}
