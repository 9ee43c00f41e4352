package dev.tocsin.ingest.alert.rest;

import dev.tocsin.ingest.common.problem.FieldError;
import dev.tocsin.ingest.common.validation.CrossFieldChecked;
import dev.tocsin.ingest.common.validation.CrossFieldValid;
import dev.tocsin.protocol.alert.Location;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Pattern;

import java.util.ArrayList;
import java.util.List;

/** Where an alert applies: a WGS84 point (lat and lon together), a region code, or both. */
@CrossFieldValid
@RegisterForReflection
public class LocationRequest implements CrossFieldChecked {

    @DecimalMin("-90.0")
    @DecimalMax("90.0")
    public Double lat;

    @DecimalMin("-180.0")
    @DecimalMax("180.0")
    public Double lon;

    /** A region code such as {@code DE-BY} or {@code eu-west}: letters, digits, '-', '_', '.'; at most 64. */
    @Pattern(regexp = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$",
            message = "must be a region code of letters, digits, '-', '_' or '.' (at most 64)")
    public String region;

    public Location toLocation() {
        return new Location(lat, lon, region);
    }

    @Override
    public List<FieldError> crossFieldErrors() {
        List<FieldError> errors = new ArrayList<>();
        if (lat == null && lon != null) {
            errors.add(new FieldError("lat", "is required when lon is given"));
        }
        if (lon == null && lat != null) {
            errors.add(new FieldError("lon", "is required when lat is given"));
        }
        if (lat == null && lon == null && region == null) {
            errors.add(new FieldError("region", "a location needs lat and lon, a region, or both"));
        }
        return errors;
    }
}
