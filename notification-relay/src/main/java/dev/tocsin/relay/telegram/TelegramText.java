package dev.tocsin.relay.telegram;

import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.Assignee;
import dev.tocsin.protocol.alert.AlertStatus;

/**
 * The message text, in Telegram's HTML parse mode: only {@code &}, {@code <} and {@code >} are special in text
 * (and {@code "} inside an attribute), which is simpler to escape correctly than MarkdownV2's eighteen characters.
 */
final class TelegramText {

    /** Telegram's limit for a message text is 4096 characters; keep well clear of it after escaping. */
    private static final int MAX_MESSAGE_CHARS = 2500;

    private TelegramText() {
    }

    static String of(Alert alert, String link) {
        StringBuilder text = new StringBuilder();
        text.append("<b>[").append(escape(alert.priority() == null ? "alert" : alert.priority().wire().toUpperCase(java.util.Locale.ROOT)))
                .append("] ").append(escape(nullToEmpty(alert.title()))).append("</b>");
        if (alert.message() != null && !alert.message().isBlank()) {
            text.append('\n').append(escape(cut(alert.message())));
        }
        return withLink(text, link);
    }

    /** "<b>Assigned to you</b>" (or "to your group G"), then the alert as {@link #of} shows it. */
    static String assignment(Alert alert, String link) {
        Assignee assignee = alert.assignee();
        String to = assignee != null && assignee.kind() == Assignee.Kind.GROUP
                ? "Assigned to your group " + escape(assignee.id()) : "Assigned to you";
        String by = alert.assignedBy() == null ? "" : " by " + escape(alert.assignedBy());
        return "<b>" + to + "</b>" + by + "\n" + of(alert, link);
    }

    /** "<b>Resolved:</b> title — note" or "<b>Retracted:</b> title", and the link. */
    static String followUp(Alert alert, String link) {
        boolean resolved = alert.effectiveStatus() == AlertStatus.RESOLVED;
        StringBuilder text = new StringBuilder();
        text.append("<b>").append(resolved ? "Resolved:" : "Retracted:").append("</b> ")
                .append(escape(nullToEmpty(alert.title())));
        if (resolved && alert.resolution() != null && !alert.resolution().isBlank()) {
            text.append(" — ").append(escape(cut(alert.resolution())));
        }
        return withLink(text, link);
    }

    private static String cut(String s) {
        return s.length() > MAX_MESSAGE_CHARS ? s.substring(0, MAX_MESSAGE_CHARS) + "…" : s;
    }

    private static String withLink(StringBuilder text, String link) {
        if (link != null) {
            text.append("\n<a href=\"").append(escapeAttribute(link)).append("\">Open alert</a>");
        }
        return text.toString();
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String escapeAttribute(String s) {
        return escape(s).replace("\"", "&quot;");
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
