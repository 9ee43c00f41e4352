package dev.tocsin.gateway.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PriorityBatchesTest {

    private static EncodedAlert alert(Priority priority, long seq) {
        return new EncodedAlert("e1", seq, priority, 1000 + seq, "{\"type\":\"alert\",\"v\":1,\"seq\":" + seq + "}",
                "{\"seq\":" + seq + "}");
    }

    @Test
    void fullBatchIsHandedBackAtOnce() {
        PriorityBatches batches = new PriorityBatches(3);
        assertNull(batches.add(alert(Priority.LOW, 1)));
        assertNull(batches.add(alert(Priority.LOW, 2)));
        List<EncodedAlert> full = batches.add(alert(Priority.LOW, 3));
        assertEquals(List.of(1L, 2L, 3L), full.stream().map(EncodedAlert::seq).toList());
        assertTrue(batches.isEmpty());
    }

    @Test
    void takeAllGivesOneBatchPerPriorityMostUrgentFirstInArrivalOrder() {
        PriorityBatches batches = new PriorityBatches(50);
        batches.add(alert(Priority.INFO, 1));
        batches.add(alert(Priority.HIGH, 2));
        batches.add(alert(Priority.INFO, 3));
        batches.add(alert(Priority.HIGH, 4));
        List<List<EncodedAlert>> all = batches.takeAll();
        assertEquals(2, all.size());
        assertEquals(List.of(2L, 4L), all.get(0).stream().map(EncodedAlert::seq).toList());
        assertEquals(List.of(1L, 3L), all.get(1).stream().map(EncodedAlert::seq).toList());
        assertEquals(0, batches.size());
    }

    @Test
    void aBatchOfOneIsAnAlertFrameAndLargerOnesAValidBatch() {
        OutboundFrame single = EncodedAlert.frameOf(List.of(alert(Priority.LOW, 7)));
        assertEquals("alert", single.type());
        assertEquals(7, single.fromSeq());

        OutboundFrame batch = EncodedAlert.frameOf(List.of(alert(Priority.LOW, 7), alert(Priority.LOW, 8)));
        assertEquals("alert_batch", batch.type());
        assertEquals(2, batch.events());
        assertEquals(7, batch.fromSeq());
        assertEquals(8, batch.toSeq());
        JsonNode json = Json.tree(batch.text());
        assertEquals("alert_batch", json.path("type").asText());
        assertEquals(1, json.path("v").asInt());
        assertEquals(8, json.path("alerts").get(1).path("seq").asLong());
    }
}
