package dev.tocsin.ingest.changestream;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * When a change happened, as the store says: an event's wall time (MongoDB 6+) or cluster time, and the cluster
 * time inside a resume token. The clock stands in where the store says nothing.
 */
final class ChangeTimes {

    private final Clock clock;

    ChangeTimes(Clock clock) {
        this.clock = clock;
    }

    /** now − the change's wall time (MongoDB 6+), else its cluster time (second precision); -1 ms when it has neither. */
    Duration lagOf(BsonDocument event) {
        Instant time = storeTimeOf(event);
        return time == null ? Duration.ofMillis(-1) : Duration.between(time, clock.instant());
    }

    /** The store's time of the change (wall time, else cluster time); the local clock when it has neither. */
    Instant timeOf(BsonDocument event) {
        Instant time = storeTimeOf(event);
        return time != null ? time : clock.instant();
    }

    /** The event's wall time, else its cluster time; null when it has neither. */
    static Instant storeTimeOf(BsonDocument event) {
        BsonValue wall = event.get("wallTime");
        if (wall != null && wall.isDateTime()) {
            return Instant.ofEpochMilli(wall.asDateTime().getValue());
        }
        BsonValue cluster = event.get("clusterTime");
        if (cluster != null && cluster.isTimestamp()) {
            return Instant.ofEpochSecond(cluster.asTimestamp().getTime());
        }
        return null;
    }

    /**
     * The cluster time inside a MongoDB resume token: its {@code _data} is a hex KeyString that starts with the
     * type byte {@code 82} (timestamp) followed by the seconds (4 bytes, big-endian) and increment. Null for any
     * other shape (the embedded server's tokens, future formats).
     */
    static Instant clusterTimeOf(BsonDocument token) {
        BsonValue data = token.get("_data");
        if (data == null || !data.isString()) {
            return null;
        }
        String hex = data.asString().getValue();
        if (hex.length() < 10 || !hex.regionMatches(true, 0, "82", 0, 2)) {
            return null;
        }
        try {
            long seconds = Long.parseLong(hex.substring(2, 10), 16);
            return Instant.ofEpochSecond(seconds);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
