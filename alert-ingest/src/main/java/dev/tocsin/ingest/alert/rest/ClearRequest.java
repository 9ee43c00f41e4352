package dev.tocsin.ingest.alert.rest;

import dev.tocsin.ingest.common.problem.FieldError;
import dev.tocsin.ingest.common.validation.CrossFieldChecked;
import dev.tocsin.ingest.common.validation.CrossFieldValid;
import dev.tocsin.protocol.alert.AlertIds;
import dev.tocsin.protocol.alert.Priority;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Body of {@code POST /api/v1/alerts/clear}: which active alerts to clear. Criteria combine (an alert must match
 * every one given); at least one is required, so an empty body never clears everything by accident. {@code ids}
 * clears a selection: with it alone, exactly the listed alerts the caller may see.
 */
@CrossFieldValid
@RegisterForReflection
public class ClearRequest implements CrossFieldChecked {

    private static final String NEED_ONE = "at least one of ids, priorities, types or olderThan is required";

    /**
     * Only these alerts; combines with the other criteria like any of them. An id of an alert the caller may not
     * see (or of none) clears nothing and is not reported: the answer never tells whether it exists.
     */
    @Schema(description = "Only the alerts with these ids (1 to " + AlertIds.MAX_PER_CLEAR + "; a repeated id "
            + "counts once). Ids of alerts the caller may not see, or that do not exist or are no longer active, "
            + "clear nothing.", minItems = 1, maxItems = AlertIds.MAX_PER_CLEAR)
    @Size(min = 1, max = AlertIds.MAX_PER_CLEAR)
    public List<@NotNull(message = AlertIds.PATTERN_MESSAGE)
            @Pattern(regexp = AlertIds.PATTERN, message = AlertIds.PATTERN_MESSAGE) String> ids;

    @Size(max = 5)
    public Set<Priority> priorities;

    @Size(max = 100)
    public Set<@NotBlank @Size(max = 64)
            @Pattern(regexp = AlertRequest.TYPE_PATTERN, message = AlertRequest.TYPE_MESSAGE) String> types;

    /** Alerts created strictly before this instant. */
    public Instant olderThan;

    @Override
    public List<FieldError> crossFieldErrors() {
        // An empty ids list is refused by its own constraint, never read as "no id criterion".
        boolean none = ids == null && (priorities == null || priorities.isEmpty())
                && (types == null || types.isEmpty()) && olderThan == null;
        if (none) {
            return List.of(new FieldError("ids", NEED_ONE), new FieldError("priorities", NEED_ONE),
                    new FieldError("types", NEED_ONE), new FieldError("olderThan", NEED_ONE));
        }
        return List.of();
    }
}
