package dev.tocsin.protocol.alert;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AudienceTest {

    @Test
    void everyoneIncludesAnyUser() {
        assertTrue(Audience.EVERYONE.includes("anyone", Set.of()));
    }

    @Test
    void listedUserIsIncludedAndOthersAreNot() {
        Audience audience = Audience.of(List.of("alice"), List.of());
        assertTrue(audience.includes("alice", Set.of()));
        assertFalse(audience.includes("bob", Set.of("viewer")));
    }

    @Test
    void memberOfAListedGroupIsIncluded() {
        Audience audience = Audience.of(List.of(), List.of("oncall-eu"));
        assertTrue(audience.includes("carol", Set.of("viewer", "oncall-eu")));
        assertFalse(audience.includes("dave", Set.of("viewer", "oncall-us")));
    }

    @Test
    void anAudienceThatListsNobodyReachesNobody() {
        Audience audience = new Audience(false, null, null);
        assertFalse(audience.includes("alice", Set.of("admin")));
    }

    @Test
    void anAlertWithoutAudienceIsForEveryone() {
        Alert alert = new Alert("1", Priority.INFO, "t", "t", "m", "s", null, null, null, null, false, null, null,
                null, null, null, null, null, null, null, null, null, null, null);
        assertTrue(alert.effectiveAudience().includes("x", Set.of()));
    }
}
