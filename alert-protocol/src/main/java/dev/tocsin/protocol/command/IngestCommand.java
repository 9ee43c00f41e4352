package dev.tocsin.protocol.command;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.tocsin.protocol.delivery.DeliveryChannel;
import dev.tocsin.protocol.delivery.DeliveryOutcome;
import dev.tocsin.protocol.delivery.DeliveryRecord;

import java.time.Instant;
import java.util.List;

/**
 * Writes that other services hand to alert-ingest (the only writer of MongoDB) through the Redis stream
 * {@code tocsin:commands} (field {@code command}, consumer group {@code ingest}). Each is idempotent, because the
 * stream delivers at least once.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = IngestCommand.RecordDelivery.class, name = "record_delivery"),
        @JsonSubTypes.Type(value = IngestCommand.RecordDeliveries.class, name = "record_deliveries"),
        @JsonSubTypes.Type(value = IngestCommand.RemoveFcmToken.class, name = "remove_fcm_token"),
})
public sealed interface IngestCommand {

    /** Store a delivery record (keyed by alert, user, channel and step, so a repeat overwrites). */
    record RecordDelivery(DeliveryRecord record) implements IngestCommand {
    }

    /**
     * The same delivery of one alert to many users, stored as one record per user exactly as {@link RecordDelivery}
     * would: the gateway gathers its WebSocket deliveries per alert this way, so a broadcast costs one command per
     * alert and flush instead of one per user.
     */
    record RecordDeliveries(String alertId, DeliveryChannel channel, DeliveryOutcome outcome, int attempts, String step,
                            Instant at, List<String> users) implements IngestCommand {

        /** The record of one of the users. */
        public DeliveryRecord recordOf(String user) {
            return new DeliveryRecord(alertId, user, channel, outcome, attempts, step, null, at);
        }
    }

    /** FCM said the token is dead ({@code UNREGISTERED}, {@code INVALID_ARGUMENT}): drop it from the user's channels. */
    record RemoveFcmToken(String user, String token, String reason) implements IngestCommand {
    }
}
