package dev.tocsin.gateway.ack;

import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertChange;

/**
 * alert-ingest's answer to {@code POST /api/v1/alerts/{id}/ack}, reduced to what the gateway answers with.
 *
 * @param status        the HTTP status, or {@link IngestClient#UNREACHABLE}
 * @param alert         on success the stored alert (with the acknowledgment that counts: the first one); null when
 *                      the call failed or a successful answer's body could not be read
 * @param alreadyHeader the {@value IngestAlertsApi#ALREADY_ACKNOWLEDGED} header: whether the alert was acknowledged
 *                      before this request; null when ingest did not send it (an ingest older than protocol v1.1) or
 *                      sent something other than {@code true}/{@code false}
 */
public record AckAnswer(int status, Alert alert, Boolean alreadyHeader) {

    public static AckAnswer failed(int status) {
        return new AckAnswer(status, null, null);
    }

    /**
     * Whether the alert had been acknowledged before this request (by anyone), for {@code ack_result.already}.
     *
     * <p>ingest's header says so. Without it (an older ingest) the stored alert decides: the request made the
     * acknowledgment (false) only when the alert's latest write was an acknowledgment by this very user; otherwise
     * someone acknowledged it earlier, or it changed since (cleared, expired, edited), so the acknowledgment was there
     * already (true). That guess errs only when the same user acknowledges an alert twice before anything else changes
     * it (the second answer says false too); it matters only until ingest sends the header.
     */
    public boolean already(String user) {
        if (alreadyHeader != null) {
            return alreadyHeader;
        }
        return !(alert.lastChange() == AlertChange.ACKNOWLEDGED && user.equals(alert.acknowledgedBy()));
    }
}
