package dev.tocsin.gateway.subscription;

import dev.tocsin.protocol.filter.AlertFilter;
import dev.tocsin.protocol.message.ClientMessage;
import dev.tocsin.protocol.message.ErrorCode;
import dev.tocsin.protocol.message.ServerMessage;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Serves {@code subscribe}, {@code unsubscribe} and {@code update_filters}: validates, updates the connection's
 * {@link Subscription} and returns the answer ({@code subscription_response} or {@code error}).
 */
@ApplicationScoped
public class SubscriptionRequests {

    static final int MAX_GROUPS = 100;

    public ServerMessage subscribe(SubscriptionHolder holder, ClientMessage.Subscribe request) {
        ServerMessage invalid = checkGroups(request.groups(), request.id());
        if (invalid != null) {
            return invalid;
        }
        Set<String> available = holder.availableGroups();
        Set<String> foreign = new TreeSet<>(request.groups());
        foreign.removeAll(available);
        if (!foreign.isEmpty()) {
            // Names the groups the client itself sent; never lists the token's other groups.
            return new ServerMessage.Error(ErrorCode.FORBIDDEN, "groups: not yours: " + String.join(", ", foreign),
                    request.id());
        }
        Subscription current = holder.subscription();
        Set<String> groups = new HashSet<>(current.groups());
        groups.addAll(request.groups());
        return answer(holder, current.withGroups(groups), request.id());
    }

    public ServerMessage unsubscribe(SubscriptionHolder holder, ClientMessage.Unsubscribe request) {
        ServerMessage invalid = checkGroups(request.groups(), request.id());
        if (invalid != null) {
            return invalid;
        }
        Subscription current = holder.subscription();
        Set<String> groups = new HashSet<>(current.groups());
        groups.removeAll(request.groups());
        return answer(holder, current.withGroups(groups), request.id());
    }

    public ServerMessage updateFilters(SubscriptionHolder holder, ClientMessage.UpdateFilters request) {
        AlertFilter filters = request.filters() == null ? AlertFilter.NONE : request.filters();
        List<String> problems = filters.problems();
        if (!problems.isEmpty()) {
            return new ServerMessage.Error(ErrorCode.INVALID_MESSAGE, String.join("; ", problems), request.id());
        }
        return answer(holder, holder.subscription().withFilters(filters), request.id());
    }

    private static ServerMessage checkGroups(List<String> groups, String ref) {
        if (groups == null || groups.isEmpty()) {
            return new ServerMessage.Error(ErrorCode.INVALID_MESSAGE, "groups: required, a non-empty list", ref);
        }
        if (groups.size() > MAX_GROUPS) {
            return new ServerMessage.Error(ErrorCode.INVALID_MESSAGE, "groups: at most " + MAX_GROUPS + " entries", ref);
        }
        for (String group : groups) {
            if (group == null || group.isBlank()) {
                return new ServerMessage.Error(ErrorCode.INVALID_MESSAGE, "groups: entries must be non-empty strings",
                        ref);
            }
        }
        return null;
    }

    private static ServerMessage answer(SubscriptionHolder holder, Subscription updated, String ref) {
        holder.subscription(updated);
        return new ServerMessage.SubscriptionResponse(ref, updated.sortedGroups(),
                updated.filters().isEmpty() ? null : updated.filters());
    }
}
