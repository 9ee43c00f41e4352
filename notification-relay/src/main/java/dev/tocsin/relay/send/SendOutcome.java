package dev.tocsin.relay.send;

import dev.tocsin.protocol.delivery.DeliveryOutcome;

/**
 * The end result of one push after its retries.
 *
 * @param attempts  HTTP attempts made
 * @param detail    secret-free reason ({@code ok}, {@code UNREGISTERED}, {@code http_503}, ...)
 * @param tokenDead the FCM token must be removed from the user's channels
 */
public record SendOutcome(DeliveryOutcome outcome, int attempts, String detail, boolean tokenDead) {

    public static SendOutcome delivered(int attempts) {
        return new SendOutcome(DeliveryOutcome.DELIVERED, attempts, "ok", false);
    }
}
