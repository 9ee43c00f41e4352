package dev.tocsin.protocol.alert;

/** HTTP headers of alert-ingest's REST API that other services read. */
public final class AlertHeaders {

    /**
     * On {@code POST /api/v1/alerts/{id}/ack}: {@code false} exactly when this request performed the acknowledgment,
     * {@code true} when the alert had been acknowledged before (the gateway's {@code ack_result.already}).
     */
    public static final String ALREADY_ACKNOWLEDGED = "Tocsin-Already-Acknowledged";

    private AlertHeaders() {
    }
}
