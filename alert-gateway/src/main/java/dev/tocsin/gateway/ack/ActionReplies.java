package dev.tocsin.gateway.ack;

import dev.tocsin.gateway.metrics.GatewayMetrics;
import dev.tocsin.gateway.session.Closer;
import dev.tocsin.gateway.session.MessageSender;
import dev.tocsin.gateway.session.Session;
import dev.tocsin.protocol.message.CloseCode;
import dev.tocsin.protocol.message.ErrorCode;
import dev.tocsin.protocol.message.ServerMessage;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Answers a forwarded request on the requester's connection: its result on success, else the {@code error} that
 * ingest's status means: 404 → {@code unknown_alert}, 403 → {@code forbidden}, 409 → {@code conflict},
 * 400/422 → {@code invalid_message}, 401 → {@code forbidden} and close 4003 (the token is no longer accepted), no
 * answer or 5xx → {@code unavailable}, a success whose body cannot be read → {@code internal}. Counts each outcome.
 */
@ApplicationScoped
class ActionReplies {

    private final MessageSender sender;
    private final Closer closer;
    private final GatewayMetrics metrics;

    ActionReplies(MessageSender sender, Closer closer, GatewayMetrics metrics) {
        this.sender = sender;
        this.closer = closer;
        this.metrics = metrics;
    }

    /** Sends {@code result} on success; an error when ingest failed, or served the request with an unread answer. */
    void answered(Session session, String op, int status, String ref, ServerMessage result) {
        metrics.ingestRequest(op, outcome(status));
        if (status < 200 || status >= 300) {
            failed(session, op, status, ref);
        } else if (result == null) {
            unreadable(session, op, ref);
        } else {
            sender.send(session, result);
        }
    }

    /** An {@code error} frame: a request refused here (bad field, missing role) or by ingest. */
    void refused(Session session, ErrorCode code, String message, String ref) {
        sender.send(session, new ServerMessage.Error(code, message, ref));
    }

    private static String outcome(int status) {
        return status == IngestClient.UNREACHABLE ? "unreachable" : Integer.toString(status);
    }

    /** ingest did the work (2xx) but its answer could not be read: the client may retry, which is idempotent. */
    private void unreadable(Session session, String op, String ref) {
        Log.warnf("alert-ingest served %s for connection %s with an answer the gateway cannot read", op,
                session.connectionId());
        refused(session, ErrorCode.INTERNAL, op + " was served but its result cannot be read", ref);
    }

    private void failed(Session session, String op, int status, String ref) {
        if (status == IngestClient.UNREACHABLE || status >= 500) {
            Log.warnf("alert-ingest did not serve %s for connection %s (status %d)", op, session.connectionId(),
                    status);
            refused(session, ErrorCode.UNAVAILABLE, "alert-ingest is unavailable; retry later", ref);
        } else if (status == 404) {
            refused(session, ErrorCode.UNKNOWN_ALERT, "alertId: no such alert", ref);
        } else if (status == 403) {
            refused(session, ErrorCode.FORBIDDEN, op + " is not allowed for this user", ref);
        } else if (status == 409) {
            refused(session, ErrorCode.CONFLICT, op + ": the alert's state does not allow it (not active, retracted, "
                    + "or holding the most notes it may)", ref);
        } else if (status == 400 || status == 422) {
            refused(session, ErrorCode.INVALID_MESSAGE, op + ": alert-ingest refused the request as invalid", ref);
        } else if (status == 401) {
            // The token ingest sees is the one this session holds: it expired (or was revoked) meanwhile.
            refused(session, ErrorCode.FORBIDDEN,
                    "the session's token is no longer accepted; reconnect with a fresh one", ref);
            closer.close(session.connection(), CloseCode.TOKEN_EXPIRED, "token expired");
        } else {
            Log.warnf("alert-ingest answered %s for connection %s with status %d", op, session.connectionId(),
                    status);
            refused(session, ErrorCode.INTERNAL, op + " could not be completed", ref);
        }
    }
}
