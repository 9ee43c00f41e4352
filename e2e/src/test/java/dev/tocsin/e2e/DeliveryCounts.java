package dev.tocsin.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fault tests' verdict on one client: waits (bounded) until it holds every accepted alert, prints
 * {@code posted=… delivered=… duplicates=… missing=… outOfOrder=…} and requires the last three to be zero.
 */
final class DeliveryCounts {

    private DeliveryCounts() {
    }

    /** Waits up to {@code settle} for every client to hold every accepted alert, then checks and prints each. */
    static void requireExactlyOnceInOrder(Set<Long> accepted, Duration settle, List<ResilientClient> clients) {
        for (ResilientClient client : clients) {
            try {
                await().atMost(settle).until(() -> accepted.stream().allMatch(client::hasNumber));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // say exactly what is missing, so a failure here can be traced in the services' logs
                System.out.printf("%s: still missing %s of %d accepted; connects=%d restReloads=%d seqs=%s%n",
                        client.name(), accepted.stream().filter(n -> !client.hasNumber(n)).sorted().toList(),
                        accepted.size(), client.connects(), client.reloads(), client.seqsByPriority());
            }
        }
        for (ResilientClient client : clients) {
            long missing = accepted.stream().filter(n -> !client.hasNumber(n)).count();
            long duplicates = client.byAlertId().values().stream().filter(c -> c.get() > 1).count();
            long outOfOrder = 0;
            for (List<Long> seqs : client.seqsByPriority().values()) {
                for (int i = 1; i < seqs.size(); i++) {
                    if (seqs.get(i) <= seqs.get(i - 1)) {
                        outOfOrder++;
                    }
                }
            }
            System.out.printf("%s: posted=%d delivered=%d duplicates=%d missing=%d outOfOrder=%d connects=%d"
                            + " restReloads=%d%n", client.name(), accepted.size(), client.byAlertId().size(),
                    duplicates, missing, outOfOrder, client.connects(), client.reloads());
            assertEquals(0, missing, client.name() + " missing");
            assertEquals(0, duplicates, client.name() + " duplicates");
            assertEquals(0, outOfOrder, client.name() + " out of order");
        }
    }
}
