package dev.tocsin.gateway.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

/** The change ids of the last N delivered events (oldest forgotten first). Not thread-safe: the pipeline guards it. */
final class RecentChangeIds {

    private final Map<String, Boolean> ids;

    RecentChangeIds(int capacity) {
        int max = Math.max(1, capacity);
        this.ids = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > max;
            }
        };
    }

    boolean contains(String id) {
        return id != null && ids.containsKey(id);
    }

    void add(String id) {
        if (id != null) {
            ids.put(id, Boolean.TRUE);
        }
    }

    int size() {
        return ids.size();
    }
}
