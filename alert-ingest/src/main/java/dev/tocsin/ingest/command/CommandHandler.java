package dev.tocsin.ingest.command;

import dev.tocsin.ingest.common.time.StoreTime;
import dev.tocsin.ingest.delivery.repository.DeliveryRepository;
import dev.tocsin.ingest.user.repository.UserChannelsRepository;
import dev.tocsin.protocol.command.IngestCommand;
import dev.tocsin.protocol.delivery.DeliveryRecord;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Applies one decoded command to MongoDB. Every command is idempotent (the stream delivers at least once): a
 * delivery record overwrites its own key, removing a token that is gone changes nothing. A command that can
 * never be applied is {@link Outcome#INVALID}; a store failure throws, so the entry stays pending and is redone.
 */
@ApplicationScoped
public class CommandHandler {

    static final int MAX_ID_LENGTH = 200;
    static final int MAX_DETAIL_LENGTH = 500;
    /** Most users one {@code record_deliveries} command may carry (the gateway sends at most 1,000). */
    static final int MAX_USERS = 10_000;

    private final DeliveryRepository deliveries;
    private final UserChannelsRepository channels;

    public CommandHandler(DeliveryRepository deliveries, UserChannelsRepository channels) {
        this.deliveries = deliveries;
        this.channels = channels;
    }

    public enum Outcome {
        APPLIED,
        INVALID
    }

    /** The metric tag of a command's type. */
    public static String typeOf(IngestCommand command) {
        if (command instanceof IngestCommand.RecordDelivery) {
            return "record_delivery";
        }
        if (command instanceof IngestCommand.RecordDeliveries) {
            return "record_deliveries";
        }
        return command instanceof IngestCommand.RemoveFcmToken ? "remove_fcm_token" : "unknown";
    }

    public Outcome apply(IngestCommand command) {
        // Java 17: no pattern matching for switch yet; the interface is sealed, so these are all the cases.
        if (command instanceof IngestCommand.RecordDelivery delivery) {
            return recordDelivery(delivery.record());
        }
        if (command instanceof IngestCommand.RecordDeliveries many) {
            return recordDeliveries(many);
        }
        if (command instanceof IngestCommand.RemoveFcmToken remove) {
            return removeFcmToken(remove);
        }
        return Outcome.INVALID;
    }

    private Outcome recordDeliveries(IngestCommand.RecordDeliveries many) {
        if (!idLike(many.alertId()) || many.channel() == null || many.outcome() == null || many.attempts() < 0
                || (many.step() != null && many.step().length() > MAX_ID_LENGTH) || many.users() == null
                || many.users().isEmpty() || many.users().size() > MAX_USERS
                || !many.users().stream().allMatch(CommandHandler::idLike)) {
            return Outcome.INVALID;
        }
        deliveries.upsertAll(new DeliveryRecord(many.alertId(), null, many.channel(), many.outcome(), many.attempts(),
                many.step(), null, many.at() == null ? StoreTime.now() : many.at()), many.users());
        return Outcome.APPLIED;
    }

    private Outcome recordDelivery(DeliveryRecord record) {
        if (record == null || !idLike(record.alertId()) || !idLike(record.user()) || record.channel() == null
                || record.outcome() == null || record.attempts() < 0
                || (record.step() != null && record.step().length() > MAX_ID_LENGTH)) {
            return Outcome.INVALID;
        }
        String detail = record.detail();
        if (detail != null && detail.length() > MAX_DETAIL_LENGTH) {
            detail = detail.substring(0, MAX_DETAIL_LENGTH);
        }
        deliveries.upsert(new DeliveryRecord(record.alertId(), record.user(), record.channel(), record.outcome(),
                record.attempts(), record.step(), detail, record.at() == null ? StoreTime.now() : record.at()));
        return Outcome.APPLIED;
    }

    private Outcome removeFcmToken(IngestCommand.RemoveFcmToken remove) {
        if (!idLike(remove.user()) || remove.token() == null || remove.token().isBlank() || remove.token().length() > 4096) {
            return Outcome.INVALID;
        }
        channels.removeFcmToken(remove.user(), remove.token(), StoreTime.now());
        return Outcome.APPLIED;
    }

    private static boolean idLike(String value) {
        return value != null && !value.isBlank() && value.length() <= MAX_ID_LENGTH;
    }
}
