package dev.tocsin.gateway.auth;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One shared copy of each set of group names the gateway keeps per connection (a token's {@code groups}, the groups a
 * connection may subscribe to). Thousands of connections carry the same few sets, each parsed anew from its token:
 * sharing them saves the set and its strings on every connection (about 0.2 KiB each, issue #21). Bounded: once
 * {@link #MAX_SETS} distinct sets are held, further ones are kept as they are, so odd tokens cannot grow it.
 */
public final class GroupSets {

    static final int MAX_SETS = 4096;

    private static final ConcurrentHashMap<Set<String>, Set<String>> SHARED = new ConcurrentHashMap<>();

    private GroupSets() {
    }

    /** An immutable set equal to {@code groups}, the same instance for every equal set while there is room. */
    public static Set<String> shared(Set<String> groups) {
        Set<String> known = SHARED.get(groups);
        if (known != null) {
            return known;
        }
        Set<String> copy = Set.copyOf(groups);
        if (SHARED.size() >= MAX_SETS) {
            return copy;
        }
        Set<String> raced = SHARED.putIfAbsent(copy, copy);
        return raced == null ? copy : raced;
    }
}
