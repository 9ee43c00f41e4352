package dev.tocsin.gateway.delivery;

import dev.tocsin.protocol.alert.Priority;

/**
 * A new alert, encoded once per event for every connection: as a stand-alone {@code alert} frame and as an entry of
 * {@code alert_batch} (the same object without {@code type} and {@code v}).
 *
 * @param seq        event sequence number
 * @param priority   the alert's priority
 * @param createdAt  the alert's creation time in epoch ms (0 when unknown), for latency
 * @param frameText  the {@code alert} frame
 * @param entryText  the {@code alert_batch} entry
 * @param alertId    the alert's id, for the delivery record once the frame is written (null: not recorded)
 */
public record EncodedAlert(long seq, Priority priority, long createdAt, String frameText, String entryText,
                           String alertId) {

    /** An encoded alert whose delivery is not recorded. */
    public EncodedAlert(long seq, Priority priority, long createdAt, String frameText, String entryText) {
        this(seq, priority, createdAt, frameText, entryText, null);
    }

    static final String BATCH_PREFIX = "{\"type\":\"alert_batch\",\"v\":1,\"alerts\":[";

    /** The frame that carries these alerts (all of one priority, in order): one {@code alert}, or a batch. */
    public static OutboundFrame frameOf(java.util.List<EncodedAlert> alerts) {
        EncodedAlert first = alerts.get(0);
        long[] created = new long[alerts.size()];
        if (alerts.size() == 1) {
            created[0] = first.createdAt();
            return new OutboundFrame(MessageTypes.ALERT, first.frameText(), first.priority(), first.seq(), first.seq(),
                    1, created, new long[] {first.seq()}, idsOf(alerts));
        }
        // Built by joining the entries encoded once per event, not by encoding again per connection.
        int length = BATCH_PREFIX.length() + 2;
        for (EncodedAlert alert : alerts) {
            length += alert.entryText().length() + 1;
        }
        StringBuilder text = new StringBuilder(length).append(BATCH_PREFIX);
        long[] seqs = new long[alerts.size()];
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
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
        }
        text.append("]}");
        return new OutboundFrame(MessageTypes.ALERT_BATCH, text.toString(), first.priority(), from, to, alerts.size(),
                created, seqs, idsOf(alerts));
    }

    private static final String[] NO_IDS = new String[0];

    /** The non-null alert ids in order; a plain loop, as this runs per connection and frame. */
    private static String[] idsOf(java.util.List<EncodedAlert> alerts) {
        int count = 0;
        for (int i = 0; i < alerts.size(); i++) {
            if (alerts.get(i).alertId() != null) {
                count++;
            }
        }
        if (count == 0) {
            return NO_IDS;
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
