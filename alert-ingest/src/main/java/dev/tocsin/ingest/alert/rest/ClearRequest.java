package dev.tocsin.ingest.alert.rest;

import dev.tocsin.ingest.common.problem.FieldError;
import dev.tocsin.ingest.common.validation.CrossFieldChecked;
import dev.tocsin.ingest.common.validation.CrossFieldValid;
import dev.tocsin.protocol.alert.Priority;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Body of {@code POST /api/v1/alerts/clear}: which active alerts to clear. Criteria combine (an alert must match
 * every one given); at least one is required, so an empty body never clears everything by accident.
 */
@CrossFieldValid
public class ClearRequest implements CrossFieldChecked {

    private static final String NEED_ONE = "at least one of priorities, types or olderThan is required";

    @Size(max = 5)
    public Set<Priority> priorities;

    @Size(max = 100)
    public Set<@NotBlank @Size(max = 64)
            @Pattern(regexp = AlertRequest.TYPE_PATTERN, message = AlertRequest.TYPE_MESSAGE) String> types;

    /** Alerts created strictly before this instant. */
    public Instant olderThan;

    @Override
    public List<FieldError> crossFieldErrors() {
        boolean none = (priorities == null || priorities.isEmpty()) && (types == null || types.isEmpty())
                && olderThan == null;
        if (none) {
            return List.of(new FieldError("priorities", NEED_ONE), new FieldError("types", NEED_ONE),
                    new FieldError("olderThan", NEED_ONE));
        }
        return List.of();
    }
}
