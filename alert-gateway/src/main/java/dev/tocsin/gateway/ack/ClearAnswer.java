package dev.tocsin.gateway.ack;

/**
 * alert-ingest's answer to {@code POST /api/v1/alerts/clear}.
 *
 * @param status  the HTTP status, or {@link IngestClient#UNREACHABLE}
 * @param cleared on success how many alerts the request cleared (0 when none matched); null when the call failed or
 *                a successful answer's body could not be read
 */
public record ClearAnswer(int status, Long cleared) {

    public static ClearAnswer failed(int status) {
        return new ClearAnswer(status, null);
    }
}
