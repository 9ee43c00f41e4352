package dev.tocsin.gateway.handshake;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The browser origins the gateway accepts handshakes from ({@code tocsin.gateway.allowed-origins}). Origins are
 * compared without case and without a trailing slash, as browsers send them ({@code scheme://host[:port]}); an
 * empty list means no check at all.
 */
public final class AllowedOrigins {

    private final Set<String> origins;

    public AllowedOrigins(Optional<List<String>> configured) {
        this.origins = configured.orElse(List.of()).stream()
                .map(AllowedOrigins::normalize)
                .filter(origin -> !origin.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Whether origins are checked at all. */
    public boolean checks() {
        return !origins.isEmpty();
    }

    /**
     * Whether a handshake with this {@code Origin} header may proceed: always when there is no list or no header (not
     * a browser), otherwise only when the origin is listed. The opaque origin {@code null} is never listed.
     */
    public boolean admits(String origin) {
        return origins.isEmpty() || origin == null || origins.contains(normalize(origin));
    }

    private static String normalize(String origin) {
        String trimmed = origin.trim().toLowerCase(Locale.ROOT);
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
