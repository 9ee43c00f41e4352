package dev.tocsin.ingest.alert.rest;

import dev.tocsin.ingest.alert.service.AlertEdit;
import dev.tocsin.ingest.alert.validation.BoundedMetadata;
import dev.tocsin.ingest.common.problem.FieldError;
import dev.tocsin.ingest.common.validation.CrossFieldChecked;
import dev.tocsin.ingest.common.validation.CrossFieldValid;
import dev.tocsin.protocol.alert.Priority;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code PATCH /api/v1/alerts/{id}}: the fields to change, with the limits of {@link AlertRequest}; an absent
 * (or null) member leaves its field as it is. Type, source, audience and escalation group cannot be edited: they
 * decide who saw the alert, and changing them would leave clients holding alerts they may no longer see.
 */
@CrossFieldValid
@RegisterForReflection
public class AlertPatchRequest implements CrossFieldChecked {

    private static final String NOT_BLANK = "(?s).*\\S.*";

    @Size(max = 200)
    @Pattern(regexp = NOT_BLANK, message = "must not be blank")
    public String title;

    @Size(max = 4000)
    @Pattern(regexp = NOT_BLANK, message = "must not be blank")
    public String message;

    public Priority priority;

    @DecimalMin("0.0")
    @DecimalMax("1.0")
    public Double riskScore;

    @Valid
    public LocationRequest location;

    @Future
    public Instant expiresAt;

    @BoundedMetadata
    public Map<String, Object> metadata;

    public AlertEdit toEdit() {
        return new AlertEdit(title, message, priority, riskScore, location == null ? null : location.toLocation(),
                expiresAt, metadata);
    }

    @Override
    public List<FieldError> crossFieldErrors() {
        if (title == null && message == null && priority == null && riskScore == null && location == null
                && expiresAt == null && metadata == null) {
            return List.of(new FieldError("body", "names no field to change"));
        }
        return List.of();
    }
}
