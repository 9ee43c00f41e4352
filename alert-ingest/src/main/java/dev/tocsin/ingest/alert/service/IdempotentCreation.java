package dev.tocsin.ingest.alert.service;

import dev.tocsin.ingest.alert.repository.AlertEntity;
import dev.tocsin.ingest.alert.repository.AlertRepository;
import dev.tocsin.ingest.alert.repository.IdempotencyKeyRepository;
import dev.tocsin.ingest.alert.repository.IdempotencyKeyRepository.Claim;
import dev.tocsin.ingest.common.problem.ForbiddenProblemException;
import dev.tocsin.ingest.common.problem.ProblemStatusException;
import dev.tocsin.ingest.common.time.StoreTime;
import dev.tocsin.ingest.config.IngestConfig;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.json.Json;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.types.ObjectId;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Creation with an {@code Idempotency-Key}: the first request with a key claims it for a fresh alert id (a unique
 * {@code _id} in {@code idempotency_keys}, so MongoDB decides between concurrent duplicates), then stores the alert
 * under that id. A retry, or a concurrent duplicate that lost the claim, answers the alert of the claim, waiting
 * briefly while the winner is still storing it. The same key with another request is refused (422).
 */
@ApplicationScoped
public class IdempotentCreation {

    /** How long a duplicate waits for the winner's alert to appear before answering 409 (retry). */
    private static final Duration WAIT_FOR_WINNER = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(20);
    /** A claim this old without its alert belongs to a request that died between claim and insert. */
    private static final Duration ABANDONED_AFTER = Duration.ofSeconds(30);

    private final AlertService alerts;
    private final AlertRepository repository;
    private final IdempotencyKeyRepository keys;
    private final IngestConfig config;

    public IdempotentCreation(AlertService alerts, AlertRepository repository, IdempotencyKeyRepository keys,
            IngestConfig config) {
        this.alerts = alerts;
        this.repository = repository;
        this.keys = keys;
        this.config = config;
    }

    /** The outcome: the alert, and whether it was created before (a replay) rather than by this request. */
    public record Created(Alert alert, boolean replayed) {
    }

    public Created create(NewAlert alert, String creator, String key) {
        if (creator == null || creator.isBlank()) {
            throw new ForbiddenProblemException("an Idempotency-Key is kept per user, and the token names no user");
        }
        String hash = fingerprint(alert);
        ObjectId id = new ObjectId();
        Instant now = StoreTime.now();
        Optional<Claim> held = keys.claim(creator, key, hash, id, now, now.plus(config.idempotency().keyTtl()));
        if (held.isEmpty()) {
            return new Created(store(alert, creator, key, id), false);
        }
        Claim claim = held.get();
        if (!claim.requestHash().equals(hash)) {
            throw ProblemStatusException.idempotencyKeyReused("this Idempotency-Key was used for another request; "
                    + "use a new key for a new alert");
        }
        Optional<AlertEntity> first = awaitAlert(claim.alertId());
        if (first.isPresent()) {
            return new Created(AlertMapper.toAlert(first.get()), true);
        }
        if (claim.claimedAt().isBefore(now.minus(ABANDONED_AFTER))
                && keys.takeOver(creator, key, claim.alertId(), id, now)) {
            Log.infof("Idempotency-Key of %s abandoned by its first request; taken over", creator);
            return new Created(store(alert, creator, key, id), false);
        }
        throw ProblemStatusException.conflict("a request with this Idempotency-Key is still in progress; retry");
    }

    private Alert store(NewAlert alert, String creator, String key, ObjectId id) {
        try {
            return alerts.create(alert, creator, id);
        } catch (RuntimeException e) {
            keys.release(creator, key, id);
            throw e;
        }
    }

    private Optional<AlertEntity> awaitAlert(ObjectId id) {
        long deadline = System.nanoTime() + WAIT_FOR_WINNER.toNanos();
        while (true) {
            Optional<AlertEntity> alert = repository.findExisting(id);
            if (alert.isPresent() || System.nanoTime() > deadline) {
                return alert;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /** SHA-256 of the request as decoded (not its bytes): the same alert sent with other spacing is the same request. */
    static String fingerprint(NewAlert alert) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Json.encode(alert).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
