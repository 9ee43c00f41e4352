package dev.tocsin.gateway.subscription;

import dev.tocsin.gateway.session.Subscriber;
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

    public ServerMessage subscribe(Subscriber subscriber, ClientMessage.Subscribe request) {
        ServerMessage invalid = checkGroups(request.groups(), request.id());
        if (invalid != null) {
            return invalid;
        }
        Set<String> available = subscriber.availableGroups();
        Set<String> foreign = new TreeSet<>(request.groups());
        foreign.removeAll(available);
        if (!foreign.isEmpty()) {
            // Names the groups the client itself sent; never lists the token's other groups.
            return new ServerMessage.Error(ErrorCode.FORBIDDEN, "groups: not yours: " + String.join(", ", foreign),
                    request.id());
        }
        Subscription current = subscriber.subscription();
        Set<String> groups = new HashSet<>(current.groups());
        groups.addAll(request.groups());
        return answer(subscriber, current.withGroups(groups), request.id());
    }

    public ServerMessage unsubscribe(Subscriber subscriber, ClientMessage.Unsubscribe request) {
        ServerMessage invalid = checkGroups(request.groups(), request.id());
        if (invalid != null) {
            return invalid;
        }
        Subscription current = subscriber.subscription();
        Set<String> groups = new HashSet<>(current.groups());
        groups.removeAll(request.groups());
        return answer(subscriber, current.withGroups(groups), request.id());
    }

    public ServerMessage updateFilters(Subscriber subscriber, ClientMessage.UpdateFilters request) {
        AlertFilter filters = request.filters() == null ? AlertFilter.NONE : request.filters();
        List<String> problems = filters.problems();
        if (!problems.isEmpty()) {
            return new ServerMessage.Error(ErrorCode.INVALID_MESSAGE, String.join("; ", problems), request.id());
        }
        return answer(subscriber, subscriber.subscription().withFilters(filters), request.id());
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

    private static ServerMessage answer(Subscriber subscriber, Subscription updated, String ref) {
        subscriber.subscription(updated);
        return new ServerMessage.SubscriptionResponse(ref, updated.sortedGroups(),
                updated.filters().isEmpty() ? null : updated.filters());
    }
}
