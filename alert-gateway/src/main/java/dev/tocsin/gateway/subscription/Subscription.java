package dev.tocsin.gateway.subscription;

import dev.tocsin.gateway.auth.GatewayPrincipal;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.filter.AlertFilter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * What one connection asked for: subscribed groups and filters. Immutable; a connection swaps the whole value, so
 * the fan-out (on another thread) always reads a consistent pair. The audience check is not part of it: it is done
 * before, and a subscription can only narrow what the audience allows.
 *
 * @param groups  subscribed groups, a subset of {@link AlertGroups#available}
 * @param filters the filters, {@link AlertFilter#NONE} when none
 */
public record Subscription(Set<String> groups, AlertFilter filters) {

    public Subscription {
        groups = Set.copyOf(groups);
        filters = filters == null ? AlertFilter.NONE : filters;
    }

    /** A new connection is subscribed to every group it may have, without filters. */
    public static Subscription initial(GatewayPrincipal principal) {
        return initial(AlertGroups.available(principal));
    }

    /** The same, given the principal's available groups already computed (shared, not copied). */
    public static Subscription initial(Set<String> availableGroups) {
        return new Subscription(availableGroups, AlertFilter.NONE);
    }

    /** Whether a new alert (whose audience already includes the user) goes to this connection. */
    public boolean wants(Alert alert, GatewayPrincipal principal) {
        return AlertGroups.anySubscribed(alert.effectiveAudience(), principal, groups)
                && (filters.isEmpty() || filters.matches(alert));
    }

    public Subscription withGroups(Set<String> newGroups) {
        return new Subscription(newGroups, filters);
    }

    public Subscription withFilters(AlertFilter newFilters) {
        return new Subscription(groups, newFilters);
    }

    /** The groups in a stable order, for answers. */
    public List<String> sortedGroups() {
        List<String> sorted = new ArrayList<>(groups);
        Collections.sort(sorted);
        return sorted;
    }
}
