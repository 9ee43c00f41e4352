package dev.tocsin.protocol.delivery;

/** How a user was reached. On the wire the lower-case name. */
public enum DeliveryChannel {
    WEBSOCKET,
    TELEGRAM,
    FCM
}
