package dev.tocsin.relay.telegram;

import dev.tocsin.protocol.pacing.TokenBucket;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Telegram's rate limits as waits: at most {@code global-rate} messages per second overall and {@code per-chat-rate}
 * to one chat, each a token bucket whose burst is one second's worth (at least one message). {@link #reserve} books
 * a slot in both and says how long to wait for it, so the caller delays with a timer instead of blocking. The
 * buckets are not thread-safe: each is used under its own lock.
 */
final class TelegramPacing {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long FORGET_CHAT_NANOS = TimeUnit.MINUTES.toNanos(5);
    /** Idle chats are only looked for past this many, so the common case never scans the map. */
    private static final int CHATS_BEFORE_FORGETTING = 10_000;

    private final double perChatRate;
    private final LongSupplier nanoClock;
    private final TokenBucket global;
    private final Map<String, TokenBucket> perChat = new ConcurrentHashMap<>();

    TelegramPacing(double globalRate, double perChatRate) {
        this(globalRate, perChatRate, System::nanoTime);
    }

    TelegramPacing(double globalRate, double perChatRate, LongSupplier nanoClock) {
        this.perChatRate = perChatRate;
        this.nanoClock = nanoClock;
        this.global = bucket(globalRate, nanoClock.getAsLong());
    }

    /** Takes a slot in the chat's bucket and in the global one; returns the wait until both allow the send. */
    Duration reserve(String chatId) {
        forgetIdleChats();
        TokenBucket chat = perChat.computeIfAbsent(chatId, id -> bucket(perChatRate, nanoClock.getAsLong()));
        long chatWait;
        synchronized (chat) {
            chatWait = chat.reserve(nanoClock.getAsLong());
        }
        long globalWait;
        synchronized (global) {
            globalWait = global.reserve(nanoClock.getAsLong());
        }
        return Duration.ofNanos(Math.max(chatWait, globalWait));
    }

    int chatsTracked() {
        return perChat.size();
    }

    private void forgetIdleChats() {
        if (perChat.size() > CHATS_BEFORE_FORGETTING) {
            perChat.values().removeIf(bucket -> {
                synchronized (bucket) {
                    return bucket.idle(nanoClock.getAsLong(), FORGET_CHAT_NANOS);
                }
            });
        }
    }

    /**
     * A bucket for {@code perSecond} messages a second, in nanoseconds. It holds one second's worth, but at least one
     * message: below one message a second, that one comes back every {@code 1 / perSecond} seconds.
     */
    static TokenBucket bucket(double perSecond, long now) {
        double burst = Math.max(1d, perSecond);
        long period = (long) Math.ceil(burst / Math.max(perSecond, Double.MIN_VALUE) * SECOND);
        return new TokenBucket(burst, period, now);
    }
}
