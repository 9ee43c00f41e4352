package dev.tocsin.relay.telegram;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/**
 * The Bot API over HTTP ({@code POST /bot<token>/sendMessage}). Only {@link TelegramClient} uses it: the token is
 * part of the path, so nothing else may see requests, URLs or client exceptions from here. Error statuses come
 * back as a {@link Response} (the default exception mapper is disabled) so the caller classifies them.
 */
@Path("")
interface TelegramRestClient {

    @POST
    @Path("/bot{token}/sendMessage")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> sendMessage(@PathParam("token") String token, Map<String, Object> body);
}
