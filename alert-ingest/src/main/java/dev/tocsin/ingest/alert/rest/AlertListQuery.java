package dev.tocsin.ingest.alert.rest;

import dev.tocsin.ingest.alert.repository.AlertFilter;
import dev.tocsin.ingest.alert.repository.ListedStatus;
import dev.tocsin.ingest.common.problem.BadRequestException;
import dev.tocsin.ingest.common.problem.FieldError;
import dev.tocsin.ingest.config.IngestConfig;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.json.JsonErrors;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The query parameters of {@code GET /api/v1/alerts}, parsed here rather than by JAX-RS (a failed JAX-RS
 * conversion answers 404): every bad parameter is reported at once, by name, in one 400 problem.
 */
record AlertListQuery(AlertFilter filter, int page, int size) {

    private static final Pattern TYPE = Pattern.compile(AlertRequest.TYPE_PATTERN);
    private static final String INSTANT_MESSAGE = "must be an ISO-8601 instant such as 2025-01-31T12:00:00Z";

    /** Raw values as the request carried them; null or blank means "not given". */
    static AlertListQuery parse(String page, String size, String priority, String type, String since,
            String updatedSince, List<String> status, IngestConfig.ApiSettings api) {
        List<FieldError> errors = new ArrayList<>();
        int pageNumber = parseInt("page", page, 0, 0, 1_000_000, errors);
        int pageSize = parseInt("size", size, api.defaultPageSize(), 1, api.maxPageSize(), errors);
        String priorityFilter = null;
        if (isGiven(priority)) {
            try {
                priorityFilter = Priority.valueOf(priority.trim().toUpperCase(Locale.ROOT)).wire();
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("priority", "must be one of " + JsonErrors.enumValues(Priority.class)));
            }
        }
        String typeFilter = null;
        if (isGiven(type)) {
            if (type.length() > 64 || !TYPE.matcher(type).matches()) {
                errors.add(new FieldError("type", AlertRequest.TYPE_MESSAGE));
            } else {
                typeFilter = type;
            }
        }
        Instant sinceFilter = parseInstant("since", since, errors);
        Instant updatedSinceFilter = parseInstant("updatedSince", updatedSince, errors);
        Set<ListedStatus> statuses = parseStatuses(status, errors);
        if (!errors.isEmpty()) {
            throw new BadRequestException(errors);
        }
        return new AlertListQuery(
                new AlertFilter(priorityFilter, typeFilter, sinceFilter, updatedSinceFilter, statuses),
                pageNumber, pageSize);
    }

    /** Repeated ({@code status=a&status=b}) and comma-separated ({@code status=a,b}) values alike; blanks ignored. */
    private static Set<ListedStatus> parseStatuses(List<String> values, List<FieldError> errors) {
        Set<ListedStatus> statuses = EnumSet.noneOf(ListedStatus.class);
        if (values == null) {
            return statuses;
        }
        for (String value : values) {
            if (value == null) {
                continue;
            }
            for (String name : value.split(",", -1)) {
                if (name.isBlank()) {
                    continue;
                }
                Optional<ListedStatus> parsed = ListedStatus.fromWire(name);
                if (parsed.isEmpty()) {
                    errors.add(new FieldError("status", "must be one of " + JsonErrors.enumValues(ListedStatus.class)
                            + " (repeated or comma-separated)"));
                    return statuses;
                }
                statuses.add(parsed.get());
            }
        }
        return statuses;
    }

    private static Instant parseInstant(String name, String value, List<FieldError> errors) {
        if (!isGiven(value)) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(name, INSTANT_MESSAGE));
            return null;
        }
    }

    private static int parseInt(String name, String value, int defaultValue, int min, int max, List<FieldError> errors) {
        if (!isGiven(value)) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(new FieldError(name, "must be an integer from " + min + " to " + max));
        return defaultValue;
    }

    private static boolean isGiven(String value) {
        return value != null && !value.isBlank();
    }
}
