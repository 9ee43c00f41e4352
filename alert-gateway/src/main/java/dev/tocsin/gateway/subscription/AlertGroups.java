package dev.tocsin.gateway.subscription;

import dev.tocsin.gateway.auth.GatewayPrincipal;
import dev.tocsin.gateway.auth.GroupSets;
import dev.tocsin.protocol.alert.Audience;

import java.util.Set;
import java.util.TreeSet;

/**
 * The subscription groups of the protocol: {@code everyone} (audience everyone), {@code direct} (the user is listed
 * by name) and each audience group the user's token carries. Works on decoded records, allocates nothing per match.
 */
public final class AlertGroups {

    public static final String EVERYONE = "everyone";
    public static final String DIRECT = "direct";

    private AlertGroups() {
    }

    /**
     * Every group this principal may subscribe to: {@code everyone}, {@code direct} and the token's groups; one
     * shared set for every connection with the same groups.
     */
    public static Set<String> available(GatewayPrincipal principal) {
        Set<String> groups = new TreeSet<>(principal.groups());
        groups.add(EVERYONE);
        groups.add(DIRECT);
        return GroupSets.shared(groups);
    }

    /** Whether the alert belongs, for this principal, to one of the subscribed groups. */
    public static boolean anySubscribed(Audience audience, GatewayPrincipal principal, Set<String> subscribed) {
        if (audience.everyone() && subscribed.contains(EVERYONE)) {
            return true;
        }
        if (subscribed.contains(DIRECT) && audience.users().contains(principal.user())) {
            return true;
        }
        for (String group : audience.groups()) {
            if (subscribed.contains(group) && principal.groups().contains(group)) {
                return true;
            }
        }
        return false;
    }
}
