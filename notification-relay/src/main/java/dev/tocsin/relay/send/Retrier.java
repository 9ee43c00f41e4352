package dev.tocsin.relay.send;

import dev.tocsin.protocol.delivery.DeliveryChannel;
import dev.tocsin.protocol.delivery.DeliveryOutcome;
import dev.tocsin.protocol.pacing.Backoff;
import dev.tocsin.relay.config.RelayConfig;
import dev.tocsin.relay.metrics.RelayMetrics;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.net.ConnectException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The retry policy shared by Telegram and FCM: up to {@code max-attempts} attempts; 429, 5xx, timeouts and
 * connection errors are retried after an exponential backoff with jitter ({@link Backoff#jittered}: half to full of
 * {@code initial-backoff * 2^(n-1)}, capped at {@code max-backoff}) or after the server's Retry-After when that is
 * longer. Waiting is a timer, never a blocked thread. When the attempts are used up the outcome is
 * {@link DeliveryOutcome#DEAD_LETTER}; the caller writes the dead letter.
 */
@Singleton
public class Retrier {

    private final RelayConfig.Retry config;
    private final Backoff backoff;
    private final RelayMetrics metrics;

    public Retrier(RelayConfig config, RelayMetrics metrics) {
        this.config = config.retry();
        this.backoff = new Backoff(this.config.initialBackoff(), this.config.maxBackoff());
        this.metrics = metrics;
    }

    public Uni<SendOutcome> run(DeliveryChannel channel, Supplier<Uni<AttemptResult>> attempt) {
        return attempt(channel, attempt, 1);
    }

    private Uni<SendOutcome> attempt(DeliveryChannel channel, Supplier<Uni<AttemptResult>> attempt, int n) {
        return Uni.createFrom().<AttemptResult>deferred(attempt::get)
                .onFailure().recoverWithItem(Retrier::classify)
                .chain(result -> {
                    if (result instanceof AttemptResult.Delivered) {
                        return Uni.createFrom().item(SendOutcome.delivered(n));
                    }
                    if (result instanceof AttemptResult.Rejected rejected) {
                        return Uni.createFrom().item(new SendOutcome(DeliveryOutcome.FAILED, n, rejected.detail(),
                                rejected.tokenDead()));
                    }
                    AttemptResult.Retryable retryable = (AttemptResult.Retryable) result;
                    if (n >= config.maxAttempts()) {
                        return Uni.createFrom().item(new SendOutcome(DeliveryOutcome.DEAD_LETTER, n,
                                retryable.detail(), false));
                    }
                    if (retryable.retryAfter() != null && retryable.retryAfter().compareTo(config.maxRetryAfter()) > 0) {
                        return Uni.createFrom().item(new SendOutcome(DeliveryOutcome.DEAD_LETTER, n,
                                retryable.detail() + "_retry_after_too_long", false));
                    }
                    Duration delay = delay(n, retryable.retryAfter());
                    metrics.retried(channel);
                    Log.debugf("%s attempt %d failed (%s), retrying in %d ms", channel.name(), n,
                            retryable.detail(), delay.toMillis());
                    return Uni.createFrom().voidItem().onItem().delayIt().by(delay)
                            .chain(() -> attempt(channel, attempt, n + 1));
                });
    }

    /** The backoff after the attempt, or the server's Retry-After when that is longer; never zero. */
    Duration delay(int failedAttempt, Duration retryAfter) {
        long jittered = backoff.jittered(failedAttempt).toMillis();
        long wait = retryAfter == null ? jittered : Math.max(jittered, retryAfter.toMillis());
        return Duration.ofMillis(Math.max(wait, 1));
    }

    /** An exception from the HTTP client: only its kind is kept (messages may carry URLs). */
    private static AttemptResult classify(Throwable failure) {
        if (failure instanceof TimeoutException || failure instanceof java.util.concurrent.TimeoutException
                || failure.getClass().getSimpleName().contains("Timeout")) {
            return new AttemptResult.Retryable("timeout", null);
        }
        Throwable cause = failure;
        while (cause != null) {
            if (cause instanceof ConnectException) {
                return new AttemptResult.Retryable("connect_error", null);
            }
            cause = cause.getCause();
        }
        return new AttemptResult.Retryable("io_error", null);
    }
}
