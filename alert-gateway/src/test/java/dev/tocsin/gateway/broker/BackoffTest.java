package dev.tocsin.gateway.broker;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BackoffTest {

    private static final Duration INITIAL = Duration.ofMillis(250);
    private static final Duration MAX = Duration.ofSeconds(10);

    @Test
    void doublesFromInitialUpToMax() {
        assertEquals(Duration.ofMillis(250), Backoff.delay(0, INITIAL, MAX));
        assertEquals(Duration.ofMillis(500), Backoff.delay(1, INITIAL, MAX));
        assertEquals(Duration.ofMillis(1000), Backoff.delay(2, INITIAL, MAX));
        assertEquals(Duration.ofSeconds(8), Backoff.delay(5, INITIAL, MAX));
        assertEquals(MAX, Backoff.delay(6, INITIAL, MAX));
        assertEquals(MAX, Backoff.delay(1_000, INITIAL, MAX));
    }

    @Test
    void toleratesOddSettings() {
        assertEquals(Duration.ofMillis(250), Backoff.delay(-3, INITIAL, MAX));
        assertEquals(Duration.ofMillis(250), Backoff.delay(4, INITIAL, Duration.ZERO));
    }
}
