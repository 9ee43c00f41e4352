package dev.tocsin.gateway.auth;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Equal group sets are one shared immutable set (plain JUnit). */
class GroupSetsTest {

    @Test
    void equalSetsAreOneInstance() {
        Set<String> first = GroupSets.shared(new HashSet<>(List.of("viewer", "bench-shared")));
        Set<String> second = GroupSets.shared(new TreeSet<>(List.of("bench-shared", "viewer")));
        assertSame(first, second);
        assertEquals(Set.of("viewer", "bench-shared"), first);
        assertThrows(UnsupportedOperationException.class, () -> first.add("admin"));
    }

    @Test
    void principalsWithTheSameGroupsShareThem() {
        GatewayPrincipal a = new GatewayPrincipal("a", new HashSet<>(List.of("operator", "ops-shared")), null);
        GatewayPrincipal b = new GatewayPrincipal("b", new HashSet<>(List.of("ops-shared", "operator")), null);
        assertSame(a.groups(), b.groups());
    }
}
