package dev.tocsin.relay.telegram;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TelegramPacingTest {

    private final AtomicLong now = new AtomicLong(TimeUnit.HOURS.toNanos(1));

    @Test
    void oneSecondsWorthGoesAtOnceThenTheGlobalRatePaces() {
        TelegramPacing pacing = new TelegramPacing(2, 1000, now::get);

        assertEquals(Duration.ZERO, pacing.reserve("a"));
        assertEquals(Duration.ZERO, pacing.reserve("b"));
        assertEquals(Duration.ofMillis(500), pacing.reserve("c"));
        assertEquals(Duration.ofMillis(1000), pacing.reserve("d"), "each reservation books the next free slot");
    }

    @Test
    void eachChatHasItsOwnRate() {
        TelegramPacing pacing = new TelegramPacing(1000, 1, now::get);

        assertEquals(Duration.ZERO, pacing.reserve("a"));
        assertEquals(Duration.ofSeconds(1), pacing.reserve("a"));
        assertEquals(Duration.ZERO, pacing.reserve("b"));
        now.addAndGet(TimeUnit.SECONDS.toNanos(2));
        assertEquals(Duration.ZERO, pacing.reserve("a"));
    }

    @Test
    void belowOneMessageASecondTheBurstIsOneMessage() {
        TelegramPacing pacing = new TelegramPacing(1000, 0.5, now::get);

        assertEquals(Duration.ZERO, pacing.reserve("a"));
        assertEquals(Duration.ofSeconds(2), pacing.reserve("a"));
    }

    @Test
    void pastTenThousandChatsTheIdleOnesAreForgotten() {
        TelegramPacing pacing = new TelegramPacing(1_000_000, 1, now::get);
        for (int i = 0; i <= 10_001; i++) {
            pacing.reserve("chat-" + i);
        }
        assertEquals(10_002, pacing.chatsTracked(), "none is idle yet");

        now.addAndGet(TimeUnit.MINUTES.toNanos(5) + 1);
        pacing.reserve("new");

        assertEquals(1, pacing.chatsTracked());
    }
}
