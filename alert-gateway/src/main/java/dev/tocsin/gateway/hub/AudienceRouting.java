package dev.tocsin.gateway.hub;

import dev.tocsin.gateway.auth.GatewayPrincipal;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;

/** Who receives an event: the alert's audience; a delete that carries only the id goes to everyone. */
public final class AudienceRouting {

    private AudienceRouting() {
    }

    public static boolean reaches(AlertEvent event, GatewayPrincipal principal) {
        Alert alert = event.alert();
        if (alert == null) {
            // Only the id travels, so telling everyone leaks nothing; clients drop ids they do not know.
            return event.op() == ChangeOp.DELETED;
        }
        return alert.effectiveAudience().includes(principal.user(), principal.groups());
    }
}
