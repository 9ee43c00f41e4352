package dev.tocsin.gateway.inbound;

/** UTF-8 sizes of strings, without encoding them. */
public final class Utf8 {

    private Utf8() {
    }

    /** Whether {@code text} takes more than {@code maxBytes} bytes in UTF-8. */
    public static boolean exceeds(String text, int maxBytes) {
        int chars = text.length();
        if (chars > maxBytes) {
            return true; // every char takes at least one byte
        }
        if ((long) chars * 3 <= maxBytes) {
            return false; // a UTF-16 char takes at most three bytes (a surrogate pair four for two chars)
        }
        return length(text) > maxBytes;
    }

    /** The UTF-8 length of {@code text} in bytes. */
    public static long length(String text) {
        long bytes = 0;
        int chars = text.length();
        for (int i = 0; i < chars; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1; // a lone surrogate is encoded as '?', as the JDK and Netty encoders do
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
