package dev.tocsin.ingest.alert.rest;

import dev.tocsin.ingest.alert.service.NewAlert;
import dev.tocsin.ingest.alert.validation.BoundedMetadata;
import dev.tocsin.ingest.alert.validation.HttpUrl;
import dev.tocsin.ingest.common.problem.FieldError;
import dev.tocsin.ingest.common.validation.CrossFieldChecked;
import dev.tocsin.ingest.common.validation.CrossFieldValid;
import dev.tocsin.ingest.common.validation.GroupNames;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Priority;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /api/v1/alerts}. Public fields so that Bean Validation sees each constraint exactly once
 * (record components would carry it to both field and accessor). Unknown members are ignored (codec rule).
 */
@CrossFieldValid
@RegisterForReflection
public class AlertRequest implements CrossFieldChecked {

    /** Lower snake case: starts with a letter, words of letters/digits joined by single underscores. */
    public static final String TYPE_PATTERN = "^[a-z][a-z0-9]*(_[a-z0-9]+)*$";
    public static final String TYPE_MESSAGE = "must be lower snake case, such as outbreak_risk";

    @NotNull
    public Priority priority;

    @NotBlank
    @Size(max = 64)
    @Pattern(regexp = TYPE_PATTERN, message = TYPE_MESSAGE)
    public String type;

    @NotBlank
    @Size(max = 200)
    public String title;

    @NotBlank
    @Size(max = 4000)
    public String message;

    @NotBlank
    @Size(max = 200)
    public String source;

    @Valid
    public LocationRequest location;

    @DecimalMin("0.0")
    @DecimalMax("1.0")
    public Double riskScore;

    @DecimalMin("0.0")
    @DecimalMax("1.0")
    public Double confidence;

    @PositiveOrZero
    public Long affectedPopulation;

    public Boolean actionRequired;

    @Size(max = 2048)
    @HttpUrl
    public String actionUrl;

    @Future
    public Instant expiresAt;

    @Valid
    public AudienceRequest audience;

    @BoundedMetadata
    public Map<String, Object> metadata;

    /** Who is paged while a critical alert stays unacknowledged; null: only the alert's own recipients. */
    @Pattern(regexp = GroupNames.PATTERN, message = GroupNames.MESSAGE)
    public String escalationGroup;

    public boolean actionRequiredOrFalse() {
        return Boolean.TRUE.equals(actionRequired);
    }

    /** The alert this body describes; call it on a validated body. */
    public NewAlert toNewAlert() {
        return new NewAlert(priority, type, title, message, source, location == null ? null : location.toLocation(),
                riskScore, confidence, affectedPopulation, actionRequiredOrFalse(), actionUrl, expiresAt,
                audience == null ? Audience.EVERYONE : audience.toAudience(), metadata, escalationGroup);
    }

    @Override
    public List<FieldError> crossFieldErrors() {
        if (actionRequiredOrFalse() && (actionUrl == null || actionUrl.isBlank())) {
            return List.of(new FieldError("actionUrl", "is required when actionRequired is true"));
        }
        return List.of();
    }
}
