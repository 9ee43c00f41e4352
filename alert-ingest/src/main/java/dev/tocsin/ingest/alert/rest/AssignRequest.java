package dev.tocsin.ingest.alert.rest;

import dev.tocsin.ingest.common.problem.FieldError;
import dev.tocsin.ingest.common.validation.CrossFieldChecked;
import dev.tocsin.ingest.common.validation.CrossFieldValid;
import dev.tocsin.protocol.alert.Assignee;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * Body of {@code POST /api/v1/alerts/{id}/assign}: exactly one of {@code user} (a user name as tokens carry it) and
 * {@code group} (a group name as tokens carry it in {@code groups}). Taking an assignment back is
 * {@code DELETE /api/v1/alerts/{id}/assignee}, so that an empty or mistyped body never unassigns by accident.
 */
@CrossFieldValid
@RegisterForReflection
public class AssignRequest implements CrossFieldChecked {

    /** Longest user or group name accepted. */
    public static final int MAX_NAME = 200;
    /** Printable, no control characters, not only blanks. */
    static final String NAME_PATTERN = "^(?=.*\\S)[^\\p{Cntrl}]+$";
    private static final String NAME_MESSAGE = "must be a name without control characters, not blank";
    private static final String EXACTLY_ONE = "exactly one of user and group is required";

    @Schema(description = "Assign to this user", maxLength = MAX_NAME)
    @Size(min = 1, max = MAX_NAME)
    @Pattern(regexp = NAME_PATTERN, message = NAME_MESSAGE)
    public String user;

    @Schema(description = "Assign to this group", maxLength = MAX_NAME)
    @Size(min = 1, max = MAX_NAME)
    @Pattern(regexp = NAME_PATTERN, message = NAME_MESSAGE)
    public String group;

    @Override
    public List<FieldError> crossFieldErrors() {
        if ((user == null) == (group == null)) {
            return List.of(new FieldError("user", EXACTLY_ONE), new FieldError("group", EXACTLY_ONE));
        }
        return List.of();
    }

    Assignee toAssignee() {
        return user != null ? Assignee.user(user.strip()) : Assignee.group(group.strip());
    }
}
