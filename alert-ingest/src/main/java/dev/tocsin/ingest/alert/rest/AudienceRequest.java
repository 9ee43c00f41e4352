package dev.tocsin.ingest.alert.rest;

import dev.tocsin.ingest.common.problem.FieldError;
import dev.tocsin.ingest.common.validation.CrossFieldChecked;
import dev.tocsin.ingest.common.validation.CrossFieldValid;
import dev.tocsin.protocol.alert.Audience;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import java.util.List;
import java.util.Set;

/**
 * Who may see an alert: {@code {"everyone": true}} or lists of users and/or groups. An explicit audience that
 * names nobody is refused (it would reach nobody, which is never what the sender meant).
 */
@CrossFieldValid
@RegisterForReflection
public class AudienceRequest implements CrossFieldChecked {

    public Boolean everyone;

    @Size(max = 1000)
    public Set<@NotBlank @Size(max = 200) String> users;

    @Size(max = 1000)
    public Set<@NotBlank @Size(max = 200) String> groups;

    boolean hasMembers() {
        return (users != null && !users.isEmpty()) || (groups != null && !groups.isEmpty());
    }

    /** The audience this body names: everyone, or exactly the listed users and groups. */
    public Audience toAudience() {
        return Boolean.TRUE.equals(everyone) ? Audience.EVERYONE : Audience.of(users, groups);
    }

    @Override
    public List<FieldError> crossFieldErrors() {
        if (Boolean.TRUE.equals(everyone) && hasMembers()) {
            return List.of(new FieldError("everyone", "must not be true when users or groups are listed"));
        }
        if (!Boolean.TRUE.equals(everyone) && !hasMembers()) {
            return List.of(new FieldError("everyone", "set everyone to true or list users or groups"));
        }
        return List.of();
    }
}
