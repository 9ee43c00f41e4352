package dev.tocsin.relay.dispatch;

import dev.tocsin.protocol.delivery.DeliveryChannel;
import dev.tocsin.protocol.delivery.DeliveryOutcome;
import dev.tocsin.protocol.delivery.DeliveryRecord;
import dev.tocsin.relay.config.RelayConfig;
import dev.tocsin.relay.dedup.DeliveryLedger;
import dev.tocsin.relay.escalation.StepSchedule;
import dev.tocsin.relay.fcm.FcmClient;
import dev.tocsin.relay.followup.PushLog;
import dev.tocsin.relay.metrics.RelayMetrics;
import dev.tocsin.relay.records.DeadLetters;
import dev.tocsin.relay.records.IngestCommands;
import dev.tocsin.relay.redis.RelayKeys;
import dev.tocsin.relay.send.SendOutcome;
import dev.tocsin.relay.telegram.TelegramClient;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Carries out one {@link Delivery} at most once: claim it in the {@link DeliveryLedger}, then send (or skip),
 * then record the outcome for ingest, write a dead letter or a token removal when needed, remember an accepted push
 * in the {@link PushLog} (for the follow-up), and only then mark it done. A follow-up step's delivery sends the
 * follow-up text and skips the "alert is closed" check that stops every other push. Answers whether the delivery is finished; false means another replica holds it or Redis failed, and the
 * step must be looked at again.
 */
@Singleton
public class DeliveryWorker {

    private final DeliveryLedger ledger;
    private final StepSchedule schedule;
    private final TelegramClient telegram;
    private final FcmClient fcm;
    private final IngestCommands commands;
    private final DeadLetters deadLetters;
    private final RelayMetrics metrics;
    private final RelayKeys keys;
    private final PushLog pushLog;
    private final String urlTemplate;
    /** Outcomes of pushes made whose recording has not succeeded yet, by delivery key (see {@link #sendOnce}). */
    private final Map<String, SendOutcome> unrecorded = new ConcurrentHashMap<>();

    public DeliveryWorker(DeliveryLedger ledger, StepSchedule schedule, TelegramClient telegram, FcmClient fcm,
                          IngestCommands commands, DeadLetters deadLetters, RelayMetrics metrics, RelayKeys keys,
                          PushLog pushLog, RelayConfig config) {
        this.pushLog = pushLog;
        this.ledger = ledger;
        this.schedule = schedule;
        this.telegram = telegram;
        this.fcm = fcm;
        this.commands = commands;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.keys = keys;
        this.urlTemplate = config.alertUrlTemplate();
    }

    Uni<Boolean> deliver(Delivery d) {
        String key = keys.delivery(d.alert().id(), d.step().name(), d.user(), wire(d.channel()),
                d.channel() == DeliveryChannel.FCM ? fingerprint(d.address()) : null);
        return ledger.claim(key).chain(claim -> switch (claim) {
            case DONE -> Uni.createFrom().item(true);
            case BUSY -> Uni.createFrom().item(false);
            case OWNED -> sendOnce(d, key).chain(outcome -> finish(d, key, outcome))
                    .invoke(() -> unrecorded.remove(key));
        }).onFailure().recoverWithItem(failure -> {
            ledger.release(key);
            Log.warnf("Delivery of alert %s to %s via %s (step %s) not finished, will retry: %s",
                    d.alert().id(), d.user(), wire(d.channel()), d.step().name(), failure.getClass().getSimpleName());
            return false;
        });
    }

    /**
     * The push's outcome: sent now, or the outcome of this replica's earlier attempt whose recording failed (Redis
     * went away after the push), so that a retry records it instead of pushing the user a second time.
     */
    private Uni<SendOutcome> sendOnce(Delivery d, String key) {
        SendOutcome known = unrecorded.get(key);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return execute(d).invoke(outcome -> {
            if (outcome != null) {
                unrecorded.put(key, outcome);
            }
        });
    }

    /** Sends or skips; null when the alert closed meanwhile (nothing to record). */
    private Uni<SendOutcome> execute(Delivery d) {
        String skip = d.skipReason();
        if (skip == null && !enabled(d.channel())) {
            skip = DeliveryRules.NOT_CONFIGURED;
        }
        if (skip != null) {
            return Uni.createFrom().item(new SendOutcome(DeliveryOutcome.SKIPPED, 0, skip, false));
        }
        if (d.step().isFollowUp()) {
            // the alert is closed by definition: the follow-up is the one push that says so
            String link = link(d.alert().id());
            return d.channel() == DeliveryChannel.TELEGRAM
                    ? telegram.sendFollowUp(d.address(), d.alert(), link)
                    : fcm.sendFollowUp(d.address(), d.alert(), link);
        }
        // an ack may have arrived while the step was running: look again right before the push
        return schedule.isClosed(d.alert().id()).chain(closed -> {
            if (closed) {
                return Uni.createFrom().nullItem();
            }
            String link = link(d.alert().id());
            if (d.step().isAssignment()) {
                return d.channel() == DeliveryChannel.TELEGRAM
                        ? telegram.sendAssignment(d.address(), d.alert(), link)
                        : fcm.sendAssignment(d.address(), d.alert(), link);
            }
            return d.channel() == DeliveryChannel.TELEGRAM
                    ? telegram.send(d.address(), d.alert(), link)
                    : fcm.send(d.address(), d.alert(), link);
        });
    }

    private Uni<Boolean> finish(Delivery d, String key, SendOutcome outcome) {
        if (outcome == null) {
            return ledger.done(key, "cancelled").replaceWith(true);
        }
        metrics.sent(d.channel(), outcome.outcome());
        DeliveryRecord record = new DeliveryRecord(d.alert().id(), d.user(), d.channel(), outcome.outcome(),
                outcome.attempts(), d.step().name(), outcome.detail(), Instant.now());
        Uni<Void> sideEffects = commands.record(record);
        if (d.step().isFollowUp()) {
            metrics.followUpSent(d.channel(), outcome.outcome());
        } else if (outcome.outcome() == DeliveryOutcome.DELIVERED) {
            // who was reached, for the follow-up when the alert is resolved or retracted
            sideEffects = sideEffects.chain(() -> pushLog.record(d.alert().id(), new PushLog.Pushed(d.user(),
                    d.channel(), d.channel() == DeliveryChannel.FCM ? fingerprint(d.address()) : null)));
        }
        if (outcome.outcome() == DeliveryOutcome.DEAD_LETTER) {
            metrics.deadLettered(d.channel());
            Log.warnf("Gave up on alert %s to %s via %s after %d attempts (%s); written to the dead-letter stream",
                    d.alert().id(), d.user(), wire(d.channel()), outcome.attempts(), outcome.detail());
            sideEffects = sideEffects.chain(() -> deadLetters.add(record));
        }
        if (outcome.tokenDead()) {
            sideEffects = sideEffects.chain(() -> commands.removeFcmToken(d.user(), d.address(), outcome.detail()));
        }
        if (outcome.outcome() == DeliveryOutcome.FAILED) {
            Log.infof("Push of alert %s to %s via %s failed: %s", d.alert().id(), d.user(), wire(d.channel()),
                    outcome.detail());
        }
        return sideEffects.chain(() -> ledger.done(key, outcome.outcome().name().toLowerCase(Locale.ROOT)))
                .replaceWith(true);
    }

    private boolean enabled(DeliveryChannel channel) {
        return channel == DeliveryChannel.TELEGRAM ? telegram.isEnabled() : fcm.isEnabled();
    }

    private String link(String alertId) {
        return urlTemplate.replace("{id}", URLEncoder.encode(alertId, StandardCharsets.UTF_8));
    }

    private static String wire(DeliveryChannel channel) {
        return channel.name().toLowerCase(Locale.ROOT);
    }

    /** Keys name a device by a digest of its token: tokens are long and identify a device. */
    static String fingerprint(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
