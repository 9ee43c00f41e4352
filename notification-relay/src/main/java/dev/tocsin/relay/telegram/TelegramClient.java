package dev.tocsin.relay.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.delivery.DeliveryChannel;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.relay.config.RelayConfig;
import dev.tocsin.relay.send.AttemptResult;
import dev.tocsin.relay.send.Retrier;
import dev.tocsin.relay.send.SendOutcome;
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
import java.util.concurrent.TimeUnit;

/**
 * Sends alert messages through the Telegram Bot API: HTML text with a link to the alert, at most
 * {@code global-rate} messages per second overall and {@code per-chat-rate} per chat ({@link TelegramPacing};
 * waiting is a timer), {@code 429} answered by waiting {@code parameters.retry_after}, 5xx and network errors retried
 * by {@link Retrier}. The bot token is only ever put into the request path; nothing logged or recorded contains it.
 */
@Singleton
public class TelegramClient {

    private final Optional<String> botToken;
    private final TelegramRestClient rest;
    private final Retrier retrier;
    private final TelegramPacing pacing;

    public TelegramClient(RelayConfig config, Retrier retrier) {
        RelayConfig.Telegram telegram = config.telegram();
        this.retrier = retrier;
        this.botToken = telegram.botToken().map(String::trim).filter(t -> !t.isEmpty());
        this.pacing = new TelegramPacing(telegram.globalRate(), telegram.perChatRate());
        if (botToken.isPresent()) {
            this.rest = QuarkusRestClientBuilder.newBuilder()
                    .baseUri(URI.create(telegram.baseUrl()))
                    .connectTimeout(telegram.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .readTimeout(telegram.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .disableDefaultMapper(true)
                    .build(TelegramRestClient.class);
            Log.infof("Telegram channel enabled (%s)", telegram.baseUrl());
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
        return sendText(chatId, TelegramText.of(alert, link));
    }

    /**
     * Sends the follow-up of a resolved or retracted alert ("Resolved: title — note" / "Retracted: title") as a new
     * message, with the same pacing and retries as {@link #send}. Never fails.
     */
    public Uni<SendOutcome> sendFollowUp(String chatId, Alert alert, String link) {
        if (!isEnabled()) {
            throw new IllegalStateException("Telegram is not configured");
        }
        return sendText(chatId, TelegramText.followUp(alert, link));
    }

    /** Sends the alert to its new assignee ("Assigned to you", then the alert), as {@link #send}. Never fails. */
    public Uni<SendOutcome> sendAssignment(String chatId, Alert alert, String link) {
        if (!isEnabled()) {
            throw new IllegalStateException("Telegram is not configured");
        }
        return sendText(chatId, TelegramText.assignment(alert, link));
    }

    private Uni<SendOutcome> sendText(String chatId, String text) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("chat_id", chatId);
        body.put("text", text);
        body.put("parse_mode", "HTML");
        body.put("link_preview_options", Map.of("is_disabled", true));
        return retrier.run(DeliveryChannel.TELEGRAM, () -> throttled(chatId)
                .chain(() -> rest.sendMessage(botToken.get(), body))
                .map(TelegramClient::classify));
    }

    /** Waits for a slot in both the global and the chat's bucket. */
    private Uni<Void> throttled(String chatId) {
        Duration wait = pacing.reserve(chatId);
        return wait.isZero() ? Uni.createFrom().voidItem()
                : Uni.createFrom().voidItem().onItem().delayIt().by(wait);
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
