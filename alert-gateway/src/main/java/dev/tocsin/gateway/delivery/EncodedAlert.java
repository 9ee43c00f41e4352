package dev.tocsin.gateway.delivery;

import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.protocol.message.MessageTypes;

import java.util.List;

/**
 * A new alert, encoded once per event for every connection: as a stand-alone {@code alert} frame (with its UTF-8
 * bytes, shared by every connection that gets it alone) and as an entry of {@code alert_batch} (the same object
 * without {@code type} and {@code v}).
 */
public final class EncodedAlert {

    private final String epoch;
    private final long seq;
    private final Priority priority;
    private final long createdAt;
    private final String frameText;
    private final String entryText;
    private final String alertId;
    private final long fannedOutNanos;
    private final OutboundFrame frame;

    /** An encoded alert whose delivery is not recorded. */
    public EncodedAlert(String epoch, long seq, Priority priority, long createdAt, String frameText,
            String entryText) {
        this(epoch, seq, priority, createdAt, frameText, entryText, null);
    }

    /**
     * @param epoch     the event's epoch
     * @param seq       event sequence number
     * @param priority  the alert's priority
     * @param createdAt the alert's creation time in epoch ms (0 when unknown), for latency
     * @param frameText the {@code alert} frame
     * @param entryText the {@code alert_batch} entry (null when it is never batched: critical)
     * @param alertId   the alert's id, for the delivery record once the frame is written (null: not recorded)
     */
    public EncodedAlert(String epoch, long seq, Priority priority, long createdAt, String frameText,
            String entryText, String alertId) {
        this(epoch, seq, priority, createdAt, frameText, entryText, alertId, OutboundFrame.NO_TIME);
    }

    /** As above, handed to the fan-out at {@code fannedOutNanos} ({@link System#nanoTime()}), for the stage metric. */
    public EncodedAlert(String epoch, long seq, Priority priority, long createdAt, String frameText,
            String entryText, String alertId, long fannedOutNanos) {
        this.fannedOutNanos = fannedOutNanos;
        this.epoch = epoch;
        this.seq = seq;
        this.priority = priority;
        this.createdAt = createdAt;
        this.frameText = frameText;
        this.entryText = entryText;
        this.alertId = alertId;
        this.frame = OutboundFrame.single(MessageTypes.ALERT, frameText, priority, epoch, seq, createdAt, alertId,
                fannedOutNanos);
    }

    public String epoch() {
        return epoch;
    }

    public long seq() {
        return seq;
    }

    public Priority priority() {
        return priority;
    }

    public long createdAt() {
        return createdAt;
    }

    public long fannedOutNanos() {
        return fannedOutNanos;
    }

    public String frameText() {
        return frameText;
    }

    public String entryText() {
        return entryText;
    }

    public String alertId() {
        return alertId;
    }

    /** This alert alone as an {@code alert} frame: one object for every connection. */
    public OutboundFrame frame() {
        return frame;
    }

    static final String BATCH_PREFIX = "{\"type\":\"alert_batch\",\"v\":1,\"epoch\":";
    static final String BATCH_ALERTS = ",\"alerts\":[";

    /** The frame that carries these alerts (all of one priority, in order): one {@code alert}, or a batch. */
    public static OutboundFrame frameOf(List<EncodedAlert> alerts) {
        EncodedAlert first = alerts.get(0);
        if (alerts.size() == 1) {
            return first.frame();
        }
        long[] created = new long[alerts.size()];
        // Built by joining the entries encoded once per event, not by encoding again per connection.
        // The alerts of one batch share an epoch: the delivery sends what waits before an alert of a new epoch joins.
        String epochJson = Json.encode(first.epoch());
        int length = BATCH_PREFIX.length() + epochJson.length() + BATCH_ALERTS.length() + 2;
        for (EncodedAlert alert : alerts) {
            length += alert.entryText().length() + 1;
        }
        StringBuilder text = new StringBuilder(length).append(BATCH_PREFIX).append(epochJson).append(BATCH_ALERTS);
        long[] seqs = new long[alerts.size()];
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        long fannedOut = OutboundFrame.NO_TIME;
        for (int i = 0; i < alerts.size(); i++) {
            EncodedAlert alert = alerts.get(i);
            if (i > 0) {
                text.append(',');
            }
            text.append(alert.entryText());
            created[i] = alert.createdAt();
            seqs[i] = alert.seq();
            from = Math.min(from, alert.seq());
            to = Math.max(to, alert.seq());
            fannedOut = olderOf(fannedOut, alert.fannedOutNanos());
        }
        text.append("]}");
        return new OutboundFrame(MessageTypes.ALERT_BATCH, text.toString(), first.priority(), from, to, alerts.size(),
                created, seqs, idsOf(alerts), OutboundFrame.CursorSlot.AFTER_EPOCH, first.epoch(), first.priority(),
                fannedOut);
    }

    /** The earlier of two nanoTimes, either of which may be {@link OutboundFrame#NO_TIME} (compared by difference). */
    private static long olderOf(long a, long b) {
        if (a == OutboundFrame.NO_TIME) {
            return b;
        }
        if (b == OutboundFrame.NO_TIME) {
            return a;
        }
        return a - b <= 0 ? a : b;
    }

    /** The non-null alert ids in order; a plain loop, as this runs per connection and frame. */
    private static String[] idsOf(List<EncodedAlert> alerts) {
        int count = 0;
        for (int i = 0; i < alerts.size(); i++) {
            if (alerts.get(i).alertId() != null) {
                count++;
            }
        }
        if (count == 0) {
            return OutboundFrame.NO_IDS;
        }
        String[] ids = new String[count];
        int next = 0;
        for (int i = 0; i < alerts.size(); i++) {
            String id = alerts.get(i).alertId();
            if (id != null) {
                ids[next++] = id;
            }
        }
        return ids;
    }
}
