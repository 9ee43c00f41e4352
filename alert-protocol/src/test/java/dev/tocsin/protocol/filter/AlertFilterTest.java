package dev.tocsin.protocol.filter;

import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.Location;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlertFilterTest {

    private static final Location MUNICH = new Location(48.137, 11.575, "DE-BY");
    private static final Location BERLIN = new Location(52.52, 13.405, "DE-BE");

    @Test
    void anEmptyFilterPassesEverything() {
        assertTrue(AlertFilter.NONE.matches(alert(Priority.INFO, "x", null, null)));
        assertTrue(new AlertFilter(Set.of(), Set.of(), Set.of(), null, null).isEmpty(), "empty lists do not filter");
    }

    @Test
    void everyPresentFieldMustPass() {
        AlertFilter filter = new AlertFilter(Set.of(Priority.CRITICAL, Priority.HIGH), Set.of("outbreak_risk"),
                Set.of("DE-BY"), null, 0.5);
        assertTrue(filter.matches(alert(Priority.HIGH, "outbreak_risk", MUNICH, 0.7)));
        assertFalse(filter.matches(alert(Priority.LOW, "outbreak_risk", MUNICH, 0.7)), "priority");
        assertFalse(filter.matches(alert(Priority.HIGH, "system_health", MUNICH, 0.7)), "type");
        assertFalse(filter.matches(alert(Priority.HIGH, "outbreak_risk", BERLIN, 0.7)), "region");
        assertFalse(filter.matches(alert(Priority.HIGH, "outbreak_risk", MUNICH, 0.3)), "risk");
        assertFalse(filter.matches(alert(Priority.HIGH, "outbreak_risk", null, null)), "no location, no risk");
    }

    @Test
    void circleUsesGreatCircleDistance() {
        AlertFilter near = new AlertFilter(null, null, null, new Area(null, new Area.Circle(48.0, 11.5, 20)), null);
        assertTrue(near.matches(alert(Priority.INFO, "t", MUNICH, null)));
        assertFalse(near.matches(alert(Priority.INFO, "t", BERLIN, null)));
        assertEquals(504, Area.distanceKm(48.137, 11.575, 52.52, 13.405), 5);
    }

    @Test
    void boundingBoxAlsoAcrossTheAntimeridian() {
        Area bavaria = new Area(new Area.BoundingBox(47, 9, 50.6, 13.9), null);
        assertTrue(bavaria.contains(MUNICH));
        assertFalse(bavaria.contains(BERLIN));
        Area pacific = new Area(new Area.BoundingBox(-30, 170, 10, -170), null);
        assertTrue(pacific.contains(new Location(-17.7, 178.0, null)));
        assertTrue(pacific.contains(new Location(-14.3, -171.0, null)));
        assertFalse(pacific.contains(new Location(-14.3, -160.0, null)));
    }

    @Test
    void problemsNameTheField() {
        AlertFilter bad = new AlertFilter(null, null, null, new Area(null, new Area.Circle(95, 0, -1)), 1.5);
        List<String> problems = bad.problems();
        assertTrue(problems.contains("filters.minRiskScore: must be between 0 and 1"), problems.toString());
        assertTrue(problems.contains("filters.area.circle.lat: must be between -90 and 90"), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("filters.area.circle.radiusKm")), problems.toString());
        assertTrue(new AlertFilter(null, null, null, new Area(null, null), null).problems().get(0)
                .contains("exactly one"));
    }

    @Test
    void decodesFromTheWireShape() {
        AlertFilter filter = Json.decode("""
                {"priorities":["critical","HIGH"],"types":["outbreak_risk"],
                 "area":{"bbox":{"minLat":47,"minLon":9,"maxLat":50.6,"maxLon":13.9}},"minRiskScore":0.2}""",
                AlertFilter.class);
        assertEquals(Set.of(Priority.CRITICAL, Priority.HIGH), filter.priorities());
        assertTrue(filter.matches(alert(Priority.CRITICAL, "outbreak_risk", MUNICH, 0.9)));
    }

    private static Alert alert(Priority priority, String type, Location location, Double risk) {
        return new Alert("a1", priority, type, "t", "m", "s", location, risk, null, null, false, null, null, null,
                null, null, null, null, null, null, null, null, null, null);
    }
}
