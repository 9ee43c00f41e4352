package dev.tocsin.protocol.json;

/**
 * A value could not be encoded or a text could not be decoded. The message is safe to show to a client: it
 * names the problem (and the offending field when known) but never carries a stack trace or the input.
 */
public final class CodecException extends RuntimeException {

    private final String field;

    public CodecException(String message, String field, Throwable cause) {
        super(message, cause, false, false);
        this.field = field;
    }

    /** The JSON path of the offending field (for example {@code alert.priority}), or null. */
    public String field() {
        return field;
    }
}
