package dev.tocsin.ingest.changestream;

import dev.tocsin.ingest.config.IngestConfig;
import dev.tocsin.ingest.leader.LeaderElection;
import dev.tocsin.ingest.leader.LeaderLock;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Singleton;

/**
 * Runs the tailer only on the replica that holds the leader lock {@code <prefix>ingest:leader}, so two ingest
 * replicas never publish the same change stream. With {@code tocsin.ingest.leader.enabled=false} the tailer runs
 * at once, unguarded.
 */
@Singleton
public class TailerLeadership {

    private final ChangeStreamTailer tailer;
    private final LeaderElection election;

    public TailerLeadership(ChangeStreamTailer tailer, Redis redis, IngestConfig config) {
        this.tailer = tailer;
        this.election = config.leader().enabled()
                ? new LeaderElection(new LeaderLock(redis, leaderKey(config), config.leader().ttl()),
                        tailer::start, tailer::stop, "tailer")
                : null;
    }

    /** The lock's key; the publish script checks the token stored under it (fencing). */
    public static String leaderKey(IngestConfig config) {
        return config.redis().keyPrefix() + "ingest:leader";
    }

    public void start() {
        if (election == null) {
            tailer.start();
        } else {
            election.start();
        }
    }

    /** Stops the tailer after the change in hand (its position stored), then releases the lock. */
    public void stop() {
        if (election == null) {
            tailer.stop();
        } else {
            election.stop();
        }
    }

    /** This replica's role; {@link LeaderElection.Role#LEADER} when election is off. */
    public LeaderElection.Role role() {
        return election == null ? LeaderElection.Role.LEADER : election.role();
    }
}
