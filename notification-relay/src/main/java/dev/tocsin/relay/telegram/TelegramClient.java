package dev.tocsin.relay.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.delivery.DeliveryChannel;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.relay.config.RelayConfig;
import dev.tocsin.relay.send.AttemptResult;
import dev.tocsin.relay.send.Retrier;
import dev.tocsin.relay.send.SendOutcome;
import dev.tocsin.relay.send.TokenBucket;
import io.quarkus.logging.Log;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Sends alert messages through the Telegram Bot API: HTML text with a link to the alert, at most
 * {@code global-rate} messages per second overall and {@code per-chat-rate} per chat (token buckets; waiting is a
 * timer), {@code 429} answered by waiting {@code parameters.retry_after}, 5xx and network errors retried by
 * {@link Retrier}. The bot token is only ever put into the request path; nothing logged or recorded contains it.
 */
@Singleton
public class TelegramClient {

    private static final long FORGET_CHAT_NANOS = TimeUnit.MINUTES.toNanos(5);

    private final Optional<String> botToken;
    private final TelegramRestClient rest;
    private final Retrier retrier;
    private final RelayConfig.Telegram config;
    private final TokenBucket global;
    private final Map<String, TokenBucket> perChat = new ConcurrentHashMap<>();

    public TelegramClient(RelayConfig config, Retrier retrier) {
        this.config = config.telegram();
        this.retrier = retrier;
        this.botToken = this.config.botToken().map(String::trim).filter(t -> !t.isEmpty());
        this.global = new TokenBucket(this.config.globalRate());
        if (botToken.isPresent()) {
            this.rest = QuarkusRestClientBuilder.newBuilder()
                    .baseUri(URI.create(this.config.baseUrl()))
                    .connectTimeout(this.config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .readTimeout(this.config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .disableDefaultMapper(true)
                    .build(TelegramRestClient.class);
            Log.infof("Telegram channel enabled (%s)", config.telegram().baseUrl());
        } else {
            this.rest = null;
            Log.info("Telegram channel disabled: tocsin.relay.telegram.bot-token is not set; "
                    + "Telegram deliveries are recorded as skipped (channel_not_configured)");
        }
    }

    public boolean isEnabled() {
        return rest != null;
    }

    /** Sends the alert to the chat with retries; never fails (failures are outcomes). */
    public Uni<SendOutcome> send(String chatId, Alert alert, String link) {
        if (!isEnabled()) {
            throw new IllegalStateException("Telegram is not configured");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("chat_id", chatId);
        body.put("text", TelegramText.of(alert, link));
        body.put("parse_mode", "HTML");
        body.put("link_preview_options", Map.of("is_disabled", true));
        return retrier.run(DeliveryChannel.TELEGRAM, () -> throttled(chatId)
                .chain(() -> rest.sendMessage(botToken.get(), body))
                .map(TelegramClient::classify));
    }

    /** Waits for a slot in both the global and the chat's bucket. */
    private Uni<Void> throttled(String chatId) {
        forgetIdleChats();
        Duration chatWait = perChat.computeIfAbsent(chatId, id -> new TokenBucket(config.perChatRate())).reserve();
        Duration globalWait = global.reserve();
        Duration wait = chatWait.compareTo(globalWait) > 0 ? chatWait : globalWait;
        return wait.isZero() ? Uni.createFrom().voidItem()
                : Uni.createFrom().voidItem().onItem().delayIt().by(wait);
    }

    private void forgetIdleChats() {
        if (perChat.size() > 10_000) {
            perChat.values().removeIf(bucket -> bucket.idleSince(FORGET_CHAT_NANOS));
        }
    }

    static AttemptResult classify(Response response) {
        int status = response.getStatus();
        if (status >= 200 && status < 300) {
            return new AttemptResult.Delivered();
        }
        if (status == 429) {
            return new AttemptResult.Retryable("telegram_429", retryAfter(response));
        }
        if (status >= 500) {
            return new AttemptResult.Retryable("telegram_" + status, null);
        }
        // 400 (chat not found, bad text), 401 (bad token), 403 (bot blocked): retrying cannot help
        return new AttemptResult.Rejected("telegram_" + status, false);
    }

    /** {@code parameters.retry_after} (seconds) of a 429 answer, or null. */
    private static Duration retryAfter(Response response) {
        try {
            String body = response.readEntity(String.class);
            JsonNode seconds = Json.tree(body).path("parameters").path("retry_after");
            return seconds.canConvertToLong() ? Duration.ofSeconds(seconds.asLong()) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
