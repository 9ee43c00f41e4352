package dev.tocsin.gateway.socket;

/** A text frame as the transport writes it: its JSON text, and the same text as UTF-8 bytes, encoded once. */
public interface TextFrame {

    String text();

    byte[] utf8();
}
