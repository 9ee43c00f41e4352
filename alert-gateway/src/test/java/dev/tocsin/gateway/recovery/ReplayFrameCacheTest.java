package dev.tocsin.gateway.recovery;

import dev.tocsin.gateway.delivery.OutboundFrame;
import dev.tocsin.gateway.testsupport.Events;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class ReplayFrameCacheTest {

    private static AlertEvent at(String epoch, long seq, String alertId) {
        return new AlertEvent(epoch, seq, ChangeOp.CREATED, alertId, Events.alert(alertId, Audience.EVERYONE),
                "change-" + alertId, Instant.parse("2026-12-04T12:00:00Z"));
    }

    @Test
    void anEventIsEncodedOnceAndItsFrameIsWhatAReplayWouldSend() {
        ReplayFrameCache cache = new ReplayFrameCache(8);
        AlertEvent event = at("e1", 5, "a-5");
        OutboundFrame first = cache.frameOf(event);
        assertSame(first, cache.frameOf(event));
        assertSame(first, cache.frameOf(at("e1", 5, "a-5")), "the same position read again from the history");
        OutboundFrame fresh = ReplayFrames.of(event);
        assertEquals(fresh.text(), first.text());
        assertEquals(fresh.type(), first.type());
        assertEquals(5, first.fromSeq());
        assertEquals("e1", first.epoch());
    }

    @Test
    void anotherEpochOrAPositionSharingTheSlotIsEncodedAfresh() {
        ReplayFrameCache cache = new ReplayFrameCache(8);
        OutboundFrame first = cache.frameOf(at("e1", 5, "a-5"));
        OutboundFrame otherEpoch = cache.frameOf(at("e2", 5, "b-5"));
        assertNotSame(first, otherEpoch);
        assertEquals("e2", otherEpoch.epoch());
        OutboundFrame sameSlot = cache.frameOf(at("e2", 13, "b-13"));
        assertEquals(13, sameSlot.fromSeq());
        assertNotSame(otherEpoch, cache.frameOf(at("e2", 5, "b-5")), "13 took the slot of 5");
    }

    @Test
    void aCacheOfZeroEncodesEveryTime() {
        ReplayFrameCache cache = new ReplayFrameCache(0);
        AlertEvent event = at("e1", 1, "a-1");
        assertNotSame(cache.frameOf(event), cache.frameOf(event));
    }
}
