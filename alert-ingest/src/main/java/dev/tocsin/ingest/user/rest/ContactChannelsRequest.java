package dev.tocsin.ingest.user.rest;

import dev.tocsin.ingest.common.validation.GroupNames;
import dev.tocsin.ingest.user.service.ContactChannelsUpdate;
import dev.tocsin.protocol.alert.Priority;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;
import java.util.Set;

/**
 * Body of {@code PUT /api/v1/users/{id}/channels}. Replaces the user's channels; {@code groups} absent keeps the
 * stored groups (only admins may change them).
 */
@RegisterForReflection
public class ContactChannelsRequest {

    /** Largest number of FCM registration tokens (devices) per user. */
    public static final int MAX_FCM_TOKENS = 10;

    /** A numeric chat id (negative for groups) or a public {@code @channelname}. */
    @Pattern(regexp = "^(-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$",
            message = "must be a numeric chat id or an @channel name")
    public String telegramChatId;

    @Size(max = MAX_FCM_TOKENS, message = "must not hold more than " + MAX_FCM_TOKENS + " tokens")
    public List<@NotBlank @Size(max = 4096)
            @Pattern(regexp = "^[\\x21-\\x7E]+$", message = "must be printable ASCII without spaces") String> fcmTokens;

    public Priority minPriority;

    @Valid
    public QuietHoursRequest quietHours;

    @Size(max = 100)
    public Set<@NotBlank @Pattern(regexp = GroupNames.PATTERN, message = GroupNames.MESSAGE) String> groups;

    /** The update this body asks for; call it on a validated body. */
    public ContactChannelsUpdate toUpdate() {
        return new ContactChannelsUpdate(telegramChatId, fcmTokens, minPriority,
                quietHours == null ? null : quietHours.toQuietHours(), groups);
    }
}
