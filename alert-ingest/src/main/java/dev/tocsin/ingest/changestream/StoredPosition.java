package dev.tocsin.ingest.changestream;

import org.bson.BsonDocument;

import java.time.Instant;

/**
 * The stored position of a change stream.
 *
 * @param token        the resume token the stream continues after; null: start from now
 * @param changeId     the change at {@code token} (kept across idle token saves and replays)
 * @param sequence     the last published position (kept across skipped changes), so that a Redis that came back
 *                     empty continues the sequence
 * @param positionTime the store's time of the change at {@code token} (null: unknown); when the token has aged
 *                     out of the oplog, alerts changed since then are re-published
 */
public record StoredPosition(BsonDocument token, String changeId, SequencePosition sequence, Instant positionTime) {
}
