package dev.tocsin.gateway.ack;

import dev.tocsin.gateway.auth.GatewayPrincipal;
import dev.tocsin.gateway.metrics.GatewayMetrics;
import dev.tocsin.gateway.session.Session;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertIds;
import dev.tocsin.protocol.auth.Roles;
import dev.tocsin.protocol.message.ClientMessage;
import dev.tocsin.protocol.message.ErrorCode;
import dev.tocsin.protocol.message.ServerMessage;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Serves {@code ack} and {@code clear}. The gateway never writes alerts itself: it checks the role locally (so a
 * refused request costs no call), then forwards the request to alert-ingest with the user's own token. Success is
 * answered to the requester with what ingest answered: {@code ack_result} (the stored acknowledgment, {@code already}
 * when it was there before, see {@link AckAnswer#already}) and {@code clear_result} (how many alerts were cleared, 0
 * included), so a client can tell "done" from "lost" by {@code ref}. Besides, ingest's change events come back through
 * Redis as {@code alert_ack} / {@code alert_update} to every connection that sees the alert, the requester included;
 * which of the two a requester gets first is not fixed. Failures become {@code error} frames ({@link ActionReplies}).
 * The other life-cycle actions are {@link AlertLifecycleActions}.
 */
@ApplicationScoped
public class AlertActions {

    /** Alert ids are MongoDB ObjectIds; anything path-safe of sane length is passed on, the rest refused here. */
    static final Pattern ALERT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final IngestClient ingest;
    private final ActionReplies replies;
    private final GatewayMetrics metrics;

    AlertActions(IngestClient ingest, ActionReplies replies, GatewayMetrics metrics) {
        this.ingest = ingest;
        this.replies = replies;
        this.metrics = metrics;
    }

    public void ack(Session session, ClientMessage.Ack request) {
        String badId = alertIdProblem(request.alertId());
        if (badId != null) {
            error(session, ErrorCode.INVALID_MESSAGE, badId, request.id());
            return;
        }
        if (!hasAny(session.principal(), Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN)) {
            error(session, ErrorCode.FORBIDDEN, "ack needs the role viewer, operator or admin", request.id());
            return;
        }
        ingest.ack(session.token(), request.alertId())
                .subscribe().with(answer -> acked(session, request, answer));
    }

    public void clear(Session session, ClientMessage.Clear request) {
        String badIds = idsProblem(request.ids());
        if (badIds != null) {
            error(session, ErrorCode.INVALID_MESSAGE, badIds, request.id());
            return;
        }
        boolean noCriterion = (request.priorities() == null || request.priorities().isEmpty())
                && (request.types() == null || request.types().isEmpty()) && request.olderThan() == null
                && request.ids() == null;
        if (noCriterion) {
            error(session, ErrorCode.INVALID_MESSAGE, "ids, priorities, types, olderThan: give at least one",
                    request.id());
            return;
        }
        if (!hasAny(session.principal(), Roles.OPERATOR, Roles.ADMIN)) {
            metrics.ingestRequest("clear", "refused_locally");
            error(session, ErrorCode.FORBIDDEN, "clear needs the role operator or admin", request.id());
            return;
        }
        ClearCriteria criteria = new ClearCriteria(request.priorities(), request.types(), request.olderThan(),
                request.ids() == null ? null : List.copyOf(new LinkedHashSet<>(request.ids())));
        ingest.clear(session.token(), criteria)
                .subscribe().with(answer -> cleared(session, request, answer));
    }

    /**
     * Why {@code ids} cannot be forwarded, or null when it can (absent, or 1 to 200 alert ids): ingest would refuse
     * the same with a 400, which the client would only see as a request refused as invalid, without the field.
     */
    static String idsProblem(List<String> ids) {
        if (ids == null) {
            return null;
        }
        if (ids.isEmpty()) {
            return "ids: give 1 to " + AlertIds.MAX_PER_CLEAR + " alert ids, or leave ids out";
        }
        if (ids.size() > AlertIds.MAX_PER_CLEAR) {
            return "ids: at most " + AlertIds.MAX_PER_CLEAR + " alert ids per clear";
        }
        for (int i = 0; i < ids.size(); i++) {
            if (!AlertIds.isValid(ids.get(i))) {
                return "ids[" + i + "]: " + AlertIds.PATTERN_MESSAGE;
            }
        }
        return null;
    }

    private void acked(Session session, ClientMessage.Ack request, AckAnswer answer) {
        Alert alert = answer.alert();
        answered(session, "ack", answer.status(), request.id(), alert == null ? null
                : new ServerMessage.AckResult(request.id(), request.alertId(), alert.acknowledgedBy(),
                        alert.acknowledgedAt(), answer.already(session.principal().user()), alert.version()));
    }

    private void cleared(Session session, ClientMessage.Clear request, ClearAnswer answer) {
        answered(session, "clear", answer.status(), request.id(), answer.cleared() == null ? null
                : new ServerMessage.ClearResult(request.id(), answer.cleared()));
    }

    private void answered(Session session, String op, int status, String ref, ServerMessage result) {
        replies.answered(session, op, status, ref, result);
    }

    private void error(Session session, ErrorCode code, String message, String ref) {
        replies.refused(session, code, message, ref);
    }

    static boolean hasAny(GatewayPrincipal principal, String... roles) {
        for (String role : roles) {
            if (principal.groups().contains(role)) {
                return true;
            }
        }
        return false;
    }

    /** The common field check of requests that name one alert; null when {@code alertId} may be forwarded. */
    static String alertIdProblem(String alertId) {
        if (alertId == null || alertId.isBlank()) {
            return "alertId: required";
        }
        return ALERT_ID.matcher(alertId).matches() ? null : "alertId: not an alert id";
    }
}
