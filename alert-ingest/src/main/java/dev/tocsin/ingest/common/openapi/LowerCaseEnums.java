package dev.tocsin.ingest.common.openapi;

import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.media.Schema;

import java.util.List;
import java.util.Locale;

/**
 * Shows enum values in the OpenAPI document as they are on the wire: Tocsin's one JSON codec writes every enum
 * constant in lower case ({@code CRITICAL} as {@code critical}), while the scanner lists the Java names. Registered
 * with {@code mp.openapi.filter}.
 */
public class LowerCaseEnums implements OASFilter {

    @Override
    public Schema filterSchema(Schema schema) {
        List<Object> values = schema.getEnumeration();
        if (values != null && !values.isEmpty()) {
            schema.setEnumeration(values.stream()
                    .map(value -> value instanceof String text ? (Object) text.toLowerCase(Locale.ROOT) : value)
                    .toList());
        }
        return schema;
    }
}
