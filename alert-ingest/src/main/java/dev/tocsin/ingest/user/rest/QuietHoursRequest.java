package dev.tocsin.ingest.user.rest;

import dev.tocsin.ingest.common.problem.FieldError;
import dev.tocsin.ingest.common.validation.CrossFieldChecked;
import dev.tocsin.ingest.common.validation.CrossFieldValid;
import dev.tocsin.protocol.user.QuietHours;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

/** A daily window without pushes: {@code {"start":"22:00","end":"07:00","zone":"Europe/Berlin"}}. */
@CrossFieldValid
@RegisterForReflection
public class QuietHoursRequest implements CrossFieldChecked {

    @NotNull
    public LocalTime start;

    @NotNull
    public LocalTime end;

    @NotBlank
    @Size(max = 64)
    public String zone;

    /** Whether critical alerts still get through; absent means true (a critical alert should wake you). */
    public Boolean criticalOverride;

    public QuietHours toQuietHours() {
        return new QuietHours(start, end, zone, !Boolean.FALSE.equals(criticalOverride));
    }

    @Override
    public List<FieldError> crossFieldErrors() {
        if (zone != null && !zone.isBlank() && zone.length() <= 64) {
            try {
                ZoneId.of(zone);
            } catch (DateTimeException e) {
                return List.of(new FieldError("zone", "must be a time zone id such as Europe/Berlin or UTC"));
            }
        }
        return List.of();
    }
}
