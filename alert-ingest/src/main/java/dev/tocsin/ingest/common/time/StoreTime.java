package dev.tocsin.ingest.common.time;

import java.time.Instant;

/** Times as MongoDB keeps them (milliseconds), so that a written value and its re-read copy are equal. */
public final class StoreTime {

    private StoreTime() {
    }

    /** Now, at the store's precision. */
    public static Instant now() {
        return Instant.ofEpochMilli(System.currentTimeMillis());
    }
}
