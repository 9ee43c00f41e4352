package dev.tocsin.ingest.common.validation;

import dev.tocsin.ingest.common.problem.FieldError;

import java.util.List;

/**
 * A request object with rules that span several of its fields (a URL required when an action is, lat and lon
 * together). Kept next to the fields they relate, reported through Bean Validation under the right field name.
 */
public interface CrossFieldChecked {

    /** The broken cross-field rules, each under the field a client should fix; empty when all hold. */
    List<FieldError> crossFieldErrors();
}
