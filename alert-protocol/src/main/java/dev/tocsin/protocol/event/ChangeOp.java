package dev.tocsin.protocol.event;

/** What happened to an alert in the store. On the wire the lower-case name. */
public enum ChangeOp {
    CREATED,
    UPDATED,
    DELETED
}
