package dev.tocsin.ingest.user.service;

import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.user.QuietHours;

import java.util.List;
import java.util.Set;

/**
 * A user's new contact channels, as sent (already validated): they replace the stored ones.
 *
 * @param fcmTokens null or a list that may repeat a token
 * @param groups    null keeps the stored groups
 */
public record ContactChannelsUpdate(String telegramChatId, List<String> fcmTokens, Priority minPriority,
                                    QuietHours quietHours, Set<String> groups) {
}
