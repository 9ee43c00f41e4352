package dev.tocsin.gateway.broker;

/** A message on the event channel that is not a usable AlertEvent. The message never carries the input. */
public final class RejectedEventException extends RuntimeException {

    /** {@code malformed}: not an AlertEvent at all; {@code invalid}: decodes but lacks what routing needs. */
    public enum Reason {
        MALFORMED, INVALID;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Reason reason;

    RejectedEventException(Reason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
