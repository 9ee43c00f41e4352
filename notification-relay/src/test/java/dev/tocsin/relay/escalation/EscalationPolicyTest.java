package dev.tocsin.relay.escalation;

import dev.tocsin.protocol.alert.Priority;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EscalationPolicyTest {

    @Test
    void stepsAreParsedAfterTheFirstDelivery() {
        List<Step> steps = EscalationPolicy.plan(Priority.CRITICAL, List.of("fcm:2m", " Telegram:5m ", "group:10m"));

        assertEquals(4, steps.size());
        assertEquals(new Step(0, "offline", StepTarget.OFFLINE, Duration.ZERO), steps.get(0));
        assertEquals(new Step(1, "fcm-2m", StepTarget.FCM, Duration.ofMinutes(2)), steps.get(1));
        assertEquals(new Step(2, "telegram-5m", StepTarget.TELEGRAM, Duration.ofMinutes(5)), steps.get(2));
        assertEquals(new Step(3, "group-10m", StepTarget.GROUP, Duration.ofMinutes(10)), steps.get(3));
    }

    @Test
    void noneMeansOnlyTheFirstDelivery() {
        assertEquals(List.of(Step.first()), EscalationPolicy.plan(Priority.HIGH, List.of("none")));
    }

    @Test
    void typosStopTheRelay() {
        assertThrows(IllegalArgumentException.class, () -> EscalationPolicy.plan(Priority.CRITICAL, List.of("sms:5m")));
        assertThrows(IllegalArgumentException.class, () -> EscalationPolicy.plan(Priority.CRITICAL, List.of("all")));
        assertThrows(IllegalArgumentException.class, () -> EscalationPolicy.plan(Priority.CRITICAL, List.of("all:5 min")));
    }

    @Test
    void membersRoundTrip() {
        Step step = new Step(2, "group-10m", StepTarget.GROUP, Duration.ofMinutes(10));
        Step.Parsed parsed = Step.parse(step.member("65f0c0ffee"));

        assertEquals("65f0c0ffee", parsed.alertId());
        assertEquals(2, parsed.step().index());
        assertEquals("group-10m", parsed.step().name());
        assertEquals(StepTarget.GROUP, parsed.step().target());
        assertTrue(Step.parse("65f0|0|offline").step().target() == StepTarget.OFFLINE);
        assertNull(Step.parse("garbage"));
    }
}
