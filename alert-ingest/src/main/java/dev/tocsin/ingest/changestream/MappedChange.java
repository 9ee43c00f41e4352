package dev.tocsin.ingest.changestream;

import dev.tocsin.protocol.event.ChangeOp;
import org.bson.BsonDocument;

/**
 * What one change stream event means for alert consumers.
 *
 * @param kind         publish it, skip it (position still advances), or reopen the stream (invalidate)
 * @param op           for {@link Kind#PUBLISH}: created/updated/deleted
 * @param alertId      for {@link Kind#PUBLISH}: the alert's id
 * @param fullDocument for created/updated: the stored alert after the change
 * @param reason       for {@link Kind#SKIP} and {@link Kind#INVALIDATE}: why, as a metric tag
 */
public record MappedChange(Kind kind, ChangeOp op, String alertId, BsonDocument fullDocument, String reason) {

    public enum Kind {
        PUBLISH,
        SKIP,
        INVALIDATE
    }

    static MappedChange publish(ChangeOp op, String alertId, BsonDocument fullDocument) {
        return new MappedChange(Kind.PUBLISH, op, alertId, fullDocument, null);
    }

    static MappedChange skip(String reason) {
        return new MappedChange(Kind.SKIP, null, null, null, reason);
    }

    static MappedChange invalidate() {
        return new MappedChange(Kind.INVALIDATE, null, null, null, "invalidate");
    }
}
