package dev.tocsin.ingest.presence;

import dev.tocsin.ingest.common.openapi.ProblemResponses;
import dev.tocsin.ingest.config.IngestConfig;
import dev.tocsin.protocol.auth.Roles;
import dev.tocsin.protocol.event.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.sortedset.ReactiveSortedSetCommands;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.quarkus.redis.datasource.sortedset.ScoredValue;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;

/**
 * Who is connected right now: the live WebSocket sessions the gateways record in Redis
 * ({@code <prefix>presence:{user}}, a sorted set whose scores are expiry times). Entries of a crashed gateway
 * are past their expiry and do not count.
 */
@Path("/api/v1/presence/{user}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "presence")
@APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
public class PresenceResource {

    /** A user's presence: online while any session has not expired. */
    @RegisterForReflection
    public record Presence(String user, boolean online, List<Session> sessions) {
    }

    /** One live session: the gateway instance, its connection id, and when the entry expires without a heartbeat. */
    @RegisterForReflection
    public record Session(String instance, String connectionId, Instant expiresAt) {
    }

    private final ReactiveSortedSetCommands<String, String> sortedSets;
    private final RedisKeys keys;

    public PresenceResource(ReactiveRedisDataSource redis, IngestConfig config) {
        this.sortedSets = redis.sortedSet(String.class);
        this.keys = new RedisKeys(config.redis().keyPrefix());
    }

    @GET
    @Operation(summary = "A user's live WebSocket sessions (admin)")
    @APIResponse(responseCode = "200", description = "Online while any session has not expired")
    public Uni<Presence> get(@PathParam("user") String user) {
        double now = System.currentTimeMillis();
        return sortedSets.zrangebyscoreWithScores(keys.presence(user), new ScoreRange<>(now, Double.POSITIVE_INFINITY))
                .map(entries -> new Presence(user, !entries.isEmpty(), entries.stream().map(PresenceResource::session).toList()));
    }

    private static Session session(ScoredValue<String> entry) {
        String member = entry.value();
        int slash = member.lastIndexOf('/');
        return new Session(slash < 0 ? "" : member.substring(0, slash), member.substring(slash + 1),
                Instant.ofEpochMilli((long) entry.score()));
    }
}
