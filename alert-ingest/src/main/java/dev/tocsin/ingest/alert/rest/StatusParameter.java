package dev.tocsin.ingest.alert.rest;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One value of the listing's {@code status} parameter as the OpenAPI document shows it; no code uses it. The values
 * are parsed into {@link dev.tocsin.ingest.alert.repository.ListedStatus}, whose constants these are, in lower case
 * (a test compares the two).
 */
@Schema(name = "ListedStatus", type = SchemaType.STRING,
        enumeration = {"active", "acknowledged", "cleared", "expired", "resolved", "retracted"},
        description = "active: active, not acknowledged; acknowledged: active and acknowledged; cleared; expired; "
                + "resolved; retracted (admins only; left out unless named)")
final class StatusParameter {

    private StatusParameter() {
    }
}
