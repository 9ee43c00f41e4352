/**
 * The parts of the REST API's OpenAPI document ({@code /q/openapi}) that no single resource owns: its title and
 * the problem responses every resource refers to by name
 * ({@link dev.tocsin.ingest.common.openapi.ProblemResponses}). The bearer security scheme is set in
 * {@code application.properties} ({@code quarkus.smallrye-openapi.security-scheme=jwt}), and enum values are shown
 * in lower case by {@link dev.tocsin.ingest.common.openapi.LowerCaseEnums}.
 */
@OpenAPIDefinition(
        info = @Info(title = "Tocsin alert-ingest", version = "1", description = "The admin REST API of Tocsin: "
                + "alerts, acknowledgments, clears, contact channels, delivery records, presence. Every error is an "
                + "RFC 9457 problem (application/problem+json)."),
        components = @Components(responses = {
                @APIResponse(name = ProblemResponses.BAD_REQUEST, description = "A parameter or the body is invalid; "
                        + "errors[] names each bad field", content = @Content(mediaType = Problem.MEDIA_TYPE,
                        schema = @Schema(implementation = Problem.class))),
                @APIResponse(name = ProblemResponses.UNAUTHORIZED, description = "No valid bearer token",
                        content = @Content(mediaType = Problem.MEDIA_TYPE,
                                schema = @Schema(implementation = Problem.class))),
                @APIResponse(name = ProblemResponses.FORBIDDEN, description = "The token's roles do not allow this",
                        content = @Content(mediaType = Problem.MEDIA_TYPE,
                                schema = @Schema(implementation = Problem.class))),
                @APIResponse(name = ProblemResponses.NOT_FOUND, description = "No such resource, or not one the "
                        + "caller may see", content = @Content(mediaType = Problem.MEDIA_TYPE,
                        schema = @Schema(implementation = Problem.class))),
                @APIResponse(name = ProblemResponses.UNAVAILABLE, description = "A store the request needs cannot "
                        + "be reached; retry after Retry-After seconds", content = @Content(
                        mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))}))
package dev.tocsin.ingest.common.openapi;

import dev.tocsin.ingest.common.problem.Problem;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
