package dev.tocsin.protocol.alert;

import java.util.regex.Pattern;

/**
 * What an alert id looks like where a request names alerts by id ({@code ids} of a clear, REST and WebSocket alike):
 * one rule, so that the gateway refuses exactly what alert-ingest would refuse, and names the field itself.
 */
public final class AlertIds {

    /** A MongoDB ObjectId as hex, the only ids alert-ingest gives alerts (upper case is read as the same id). */
    public static final String PATTERN = "^[0-9a-fA-F]{24}$";

    /** How it is said when an id breaks {@link #PATTERN}. */
    public static final String PATTERN_MESSAGE = "must be an alert id (24 hex digits)";

    /** Most ids one clear may name; a caller with more sends several requests. */
    public static final int MAX_PER_CLEAR = 200;

    private static final Pattern COMPILED = Pattern.compile(PATTERN);

    private AlertIds() {
    }

    public static boolean isValid(String id) {
        return id != null && COMPILED.matcher(id).matches();
    }
}
