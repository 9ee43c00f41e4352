package dev.tocsin.gateway.ack;

import dev.tocsin.gateway.session.Session;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertNote;
import dev.tocsin.protocol.auth.Roles;
import dev.tocsin.protocol.message.ClientMessage;
import dev.tocsin.protocol.message.ErrorCode;
import dev.tocsin.protocol.message.ServerMessage;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;

/**
 * Serves {@code resolve}, {@code unack}, {@code assign} and {@code note} like {@link AlertActions} serves
 * {@code ack}: fields and role checked here (a refused request costs no call), then forwarded to alert-ingest's REST
 * API with the user's own token, so ingest applies the user's rights and records the user in the timeline. Success is
 * answered to the requester with {@code action_result} (the alert as stored) or {@code note_result} (the note);
 * the change reaches every connection that sees the alert through Redis ({@code alert_update}, {@code alert_note}).
 * Failures become {@code error} frames ({@link ActionReplies}); the connection stays open.
 */
@ApplicationScoped
public class AlertLifecycleActions {

    /** Longest user or group name ingest accepts in an assignment. */
    static final int MAX_ASSIGNEE = 200;

    private final IngestClient ingest;
    private final ActionReplies replies;

    AlertLifecycleActions(IngestClient ingest, ActionReplies replies) {
        this.ingest = ingest;
        this.replies = replies;
    }

    public void resolve(Session session, ClientMessage.Resolve request) {
        if (admitted(session, "resolve", request.id(), request.alertId(), Roles.OPERATOR, Roles.ADMIN)) {
            String note = request.note() == null || request.note().isBlank() ? null : request.note();
            forward(session, "resolve", request.id(), request.alertId(),
                    ingest.resolve(session.token(), request.alertId(), note));
        }
    }

    public void unack(Session session, ClientMessage.Unack request) {
        if (admitted(session, "unack", request.id(), request.alertId(), Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN)) {
            forward(session, "unack", request.id(), request.alertId(), ingest.unack(session.token(), request.alertId()));
        }
    }

    /** Exactly one of user and group assigns; neither takes the assignment back. */
    public void assign(Session session, ClientMessage.Assign request) {
        String problem = request.user() != null && request.group() != null ? "user, group: give one of them, or "
                + "neither to unassign" : nameProblem("user", request.user());
        if (problem == null) {
            problem = nameProblem("group", request.group());
        }
        if (problem != null) {
            replies.refused(session, ErrorCode.INVALID_MESSAGE, problem, request.id());
            return;
        }
        if (admitted(session, "assign", request.id(), request.alertId(), Roles.OPERATOR, Roles.ADMIN)) {
            Map<String, String> assignee = request.user() != null ? Map.of("user", request.user())
                    : request.group() != null ? Map.of("group", request.group()) : null;
            forward(session, "assign", request.id(), request.alertId(),
                    ingest.assign(session.token(), request.alertId(), assignee));
        }
    }

    public void note(Session session, ClientMessage.Note request) {
        if (request.text() == null || request.text().isBlank()) {
            replies.refused(session, ErrorCode.INVALID_MESSAGE, "text: required, not blank", request.id());
            return;
        }
        if (admitted(session, "note", request.id(), request.alertId(), Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN)) {
            ingest.note(session.token(), request.alertId(), request.text()).subscribe().with(answer -> {
                AlertNote note = answer.body();
                replies.answered(session, "note", answer.status(), request.id(), note == null ? null
                        : new ServerMessage.NoteResult(request.id(), request.alertId(), note));
            });
        }
    }

    /** Whether the alert id is well formed and the user holds one of {@code roles}; answers the error otherwise. */
    private boolean admitted(Session session, String op, String ref, String alertId, String... roles) {
        String badId = AlertActions.alertIdProblem(alertId);
        if (badId != null) {
            replies.refused(session, ErrorCode.INVALID_MESSAGE, badId, ref);
            return false;
        }
        if (!AlertActions.hasAny(session.principal(), roles)) {
            replies.refused(session, ErrorCode.FORBIDDEN, op + " needs the role " + String.join(" or ", roles), ref);
            return false;
        }
        return true;
    }

    private void forward(Session session, String op, String ref, String alertId, Uni<IngestAnswer<Alert>> call) {
        call.subscribe().with(answer -> {
            Alert alert = answer.body();
            replies.answered(session, op, answer.status(), ref, alert == null ? null
                    : new ServerMessage.ActionResult(ref, op, alertId, alert.version(), alert));
        });
    }

    private static String nameProblem(String field, String name) {
        if (name == null) {
            return null;
        }
        if (name.isBlank() || name.length() > MAX_ASSIGNEE || name.chars().anyMatch(Character::isISOControl)) {
            return field + ": 1 to " + MAX_ASSIGNEE + " characters, without control characters, not blank";
        }
        return null;
    }
}
