package dev.tocsin.protocol.filter;

import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.Priority;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What a connection (or a push channel) wants to receive, on top of what its audience allows. Every field is
 * optional; an absent field does not filter; an alert passes when it passes every present field.
 * Matching works on the decoded {@link Alert} and touches no JSON, so it is cheap per connection.
 *
 * @param priorities   priorities that pass
 * @param types        alert types that pass
 * @param regions      region codes ({@code location.region}) that pass
 * @param area         area the alert's location must lie in
 * @param minRiskScore lowest risk score that passes (0..1)
 */
public record AlertFilter(Set<Priority> priorities, Set<String> types, Set<String> regions, Area area,
                          Double minRiskScore) {

    public static final AlertFilter NONE = new AlertFilter(null, null, null, null, null);
    private static final int MAX_LIST = 100;

    public AlertFilter {
        // empty lists are "not given", and EnumSet makes the priority test a bit test
        priorities = priorities == null || priorities.isEmpty() ? null : EnumSet.copyOf(priorities);
        types = types == null || types.isEmpty() ? null : Set.copyOf(types);
        regions = regions == null || regions.isEmpty() ? null : Set.copyOf(regions);
    }

    public boolean matches(Alert alert) {
        if (priorities != null && (alert.priority() == null || !priorities.contains(alert.priority()))) {
            return false;
        }
        if (types != null && (alert.type() == null || !types.contains(alert.type()))) {
            return false;
        }
        if (regions != null && (alert.location() == null || alert.location().region() == null
                || !regions.contains(alert.location().region()))) {
            return false;
        }
        if (minRiskScore != null && (alert.riskScore() == null || alert.riskScore() < minRiskScore)) {
            return false;
        }
        return area == null || area.contains(alert.location());
    }

    public boolean isEmpty() {
        return priorities == null && types == null && regions == null && area == null && minRiskScore == null;
    }

    /** Problems with this filter, each as "field: message"; empty when valid. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (types != null && types.size() > MAX_LIST) {
            problems.add("filters.types: at most " + MAX_LIST + " entries");
        }
        if (regions != null && regions.size() > MAX_LIST) {
            problems.add("filters.regions: at most " + MAX_LIST + " entries");
        }
        if (minRiskScore != null && !(minRiskScore >= 0 && minRiskScore <= 1)) {
            problems.add("filters.minRiskScore: must be between 0 and 1");
        }
        if (area != null) {
            problems.addAll(area.problems("filters.area"));
        }
        return problems;
    }
}
