package dev.tocsin.protocol.message;

import com.fasterxml.jackson.annotation.JsonSubTypes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The wire names of the server messages ({@code "type"}), read from {@link ServerMessage}'s own type declarations. */
public final class MessageTypes {

    public static final String ALERT = "alert";
    public static final String ALERT_BATCH = "alert_batch";
    public static final String ALERT_UPDATE = "alert_update";
    public static final String ALERT_ACK = "alert_ack";
    public static final String ALERT_NOTE = "alert_note";
    public static final String GAP = "gap";
    public static final String PING = "ping";
    public static final String INBOX = "inbox";
    public static final String CONNECTION_ESTABLISHED = "connection_established";
    public static final String SYNC_RESPONSE = "sync_response";
    public static final String ACK_RESULT = "ack_result";
    public static final String CLEAR_RESULT = "clear_result";
    public static final String ACTION_RESULT = "action_result";
    public static final String NOTE_RESULT = "note_result";

    private static final Map<Class<?>, String> NAMES = names();

    private MessageTypes() {
    }

    /** The wire type of a message, for example {@code pong}. */
    public static String of(ServerMessage message) {
        String name = NAMES.get(message.getClass());
        return name == null ? "unknown" : name;
    }

    /** Every wire type the protocol declares, for metrics registered up front. */
    public static List<String> all() {
        return List.copyOf(NAMES.values());
    }

    private static Map<Class<?>, String> names() {
        Map<Class<?>, String> names = new LinkedHashMap<>();
        for (JsonSubTypes.Type type : ServerMessage.class.getAnnotation(JsonSubTypes.class).value()) {
            names.put(type.value(), type.name());
        }
        return Map.copyOf(names);
    }
}
