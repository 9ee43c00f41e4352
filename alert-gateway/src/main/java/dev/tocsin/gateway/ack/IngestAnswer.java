package dev.tocsin.gateway.ack;

/**
 * alert-ingest's answer to a life-cycle request ({@code resolve}, {@code unack}, {@code assign}, {@code note}).
 *
 * @param status the HTTP status, or {@link IngestClient#UNREACHABLE}
 * @param body   on success what the body says (the stored alert, or the stored note); null when the call failed or a
 *               successful answer's body could not be read
 * @param <T>    the body's type
 */
public record IngestAnswer<T>(int status, T body) {

    public static <T> IngestAnswer<T> failed(int status) {
        return new IngestAnswer<>(status, null);
    }
}
