package dev.tocsin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.protocol.json.Json;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault tests' verdict on the alert timelines (docs/rest-api.md, Timeline): every accepted alert's timeline is
 * exactly {@code created by <creator>}, followed by {@code acknowledged by <acker>} for an alert that was acknowledged,
 * nothing else and nothing twice, times in order. Prints {@code timeline: checked=… entries=… acknowledged=…
 * duplicates=… missing=… wrong=…} and requires the last three to be zero.
 */
final class TimelineCounts {

    private TimelineCounts() {
    }

    /**
     * @param ids            alert id per accepted number
     * @param creator        the actor every {@code created} entry must name
     * @param acknowledgedBy the acker per number, for the alerts that were acknowledged
     */
    static void requireExact(TocsinStack tocsin, Map<Long, String> ids, String creator,
            Map<Long, String> acknowledgedBy) throws Exception {
        int entries = 0;
        int duplicates = 0;
        int missing = 0;
        Map<Long, String> wrong = new TreeMap<>();
        for (Map.Entry<Long, String> alert : new TreeMap<>(ids).entrySet()) {
            HttpResponse<String> response = tocsin.call("GET", "/api/v1/alerts/" + alert.getValue() + "/timeline",
                    "admin", "admin", null);
            assertEquals(200, response.statusCode(), response.body());
            List<String> expected = new ArrayList<>(List.of("created by " + creator));
            String acker = acknowledgedBy.get(alert.getKey());
            if (acker != null) {
                expected.add("acknowledged by " + acker);
            }
            List<String> actual = new ArrayList<>();
            Instant previous = Instant.MIN;
            boolean inOrder = true;
            for (JsonNode entry : Json.tree(response.body()).path("entries")) {
                actual.add(entry.path("kind").asText() + " by " + entry.path("actor").asText());
                Instant at = Instant.parse(entry.path("at").asText());
                inOrder &= !at.isBefore(previous);
                previous = at;
            }
            entries += actual.size();
            for (String step : expected) {
                long times = actual.stream().filter(step::equals).count();
                if (times == 0) {
                    missing++;
                } else if (times > 1) {
                    duplicates += (int) times - 1;
                }
            }
            if (!actual.equals(expected) || !inOrder) {
                wrong.put(alert.getKey(), alert.getValue() + " " + actual + (inOrder ? "" : " (times out of order)"));
            }
        }
        System.out.printf("timeline: checked=%d entries=%d acknowledged=%d duplicates=%d missing=%d wrong=%d%n",
                ids.size(), entries, acknowledgedBy.size(), duplicates, missing, wrong.size());
        assertTrue(wrong.isEmpty(), "timelines not exactly as the alerts' history: " + wrong);
    }
}
