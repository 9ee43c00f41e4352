package dev.tocsin.gateway.warmup;

import dev.tocsin.gateway.auth.GatewayPrincipal;
import dev.tocsin.gateway.auth.PrincipalResolver;
import dev.tocsin.gateway.config.GatewayConfig;
import dev.tocsin.gateway.handshake.HandshakeRules;
import dev.tocsin.gateway.lifecycle.ConnectionLifecycle;
import dev.tocsin.gateway.presence.InstanceId;
import dev.tocsin.gateway.presence.PresenceStore;
import dev.tocsin.protocol.json.Json;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the handshake's own work many times at boot, before the gateway reports ready, so that the first wave of
 * clients after a start (a deploy, a replica replacing a lost one) meets compiled code instead of paying for the JIT
 * compiler: measured at 2.75 ms of CPU per connection for the first 5,000 before it, against 0.21 ms once the JIT has
 * settled (docs/benchmarks.md). It covers Tocsin's, smallrye-jwt's and the Redis client's part; the HTTP upgrade's
 * code (Vert.x, Netty) is compiled during the first real waves.
 *
 * <p>Each operation is what a handshake does in code we call: an RS256 token verified by smallrye-jwt's parser (with a
 * key made for the warm-up, see {@link WarmupTokens}), the principal taken from it, the admission reads in Redis for a
 * warm-up user (reads only), that user's presence entry written (removed at the end; it would expire by itself) and
 * the greeting encoded. The upgrade itself and Vert.x's HTTP code are not covered: only a real client could run them,
 * and no token the gateway accepts can be made here.
 *
 * <p>It runs on its own thread, not an event loop: it blocks on its Redis answers (a bounded number in flight). When
 * Redis does not answer, the Redis part is skipped and the rest still runs; a failure or the time limit ends the
 * warm-up early, and the gateway becomes ready all the same (a cold gateway beats none).
 */
@ApplicationScoped
public class BootWarmup {

    /**
     * Operations whose Redis commands (two each) are in flight at once: fewer than the Redis pool's 24 connections.
     * On a Redis Cluster, Vert.x's client holds a pooled connection per master for every command, and more commands
     * than connections is where it deadlocked (vert-x3/vertx-redis-client#548; docs/operations.md, "Redis"). The JIT
     * needs the code run often, not all at once.
     */
    static final int IN_FLIGHT = 8;

    static final String USER = "tocsin-warmup";

    private static final Duration REMOVE_TIMEOUT = Duration.ofSeconds(2);

    private final GatewayConfig.Warmup config;
    private final PrincipalResolver principals;
    private final HandshakeRules rules;
    private final PresenceStore presence;
    private final ConnectionLifecycle lifecycle;
    private final String member;

    private volatile boolean done;
    private volatile int performed;

    BootWarmup(GatewayConfig config, PrincipalResolver principals, HandshakeRules rules, PresenceStore presence,
            ConnectionLifecycle lifecycle, InstanceId instanceId) {
        this.config = config.warmup();
        this.principals = principals;
        this.rules = rules;
        this.presence = presence;
        this.lifecycle = lifecycle;
        this.member = instanceId.value() + "/warmup";
    }

    void onStart(@Observes StartupEvent event) {
        if (config.operations() <= 0) {
            done = true;
            return;
        }
        Thread thread = new Thread(this::run, "tocsin-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether the warm-up ended (finished, failed, timed out or turned off): readiness waits for it. */
    public boolean done() {
        return done;
    }

    /** Operations performed so far. */
    public int performed() {
        return performed;
    }

    private void run() {
        long started = System.nanoTime();
        long deadline = started + config.timeout().toNanos();
        try {
            perform(deadline);
        } catch (Exception | LinkageError e) {
            Log.warnf("Boot warm-up stopped after %d operations: %s", performed, e.toString());
        } finally {
            done = true;
            Log.infof("Boot warm-up: %d handshake operations in %d ms", performed,
                    (System.nanoTime() - started) / 1_000_000);
        }
    }

    private void perform(long deadline) throws Exception {
        WarmupTokens tokens = new WarmupTokens();
        boolean redis = redisAnswers(deadline);
        List<Uni<Void>> pending = new ArrayList<>(2 * IN_FLIGHT);
        int operations = config.operations();
        for (int i = 0; i < operations && System.nanoTime() < deadline; i++) {
            JsonWebToken jwt = tokens.verify(i);
            SecurityIdentity identity = QuarkusSecurityIdentity.builder().setPrincipal(jwt)
                    .addRoles(jwt.getGroups()).build();
            GatewayPrincipal principal = principals.resolve(identity).orElseThrow();
            principals.rawToken(identity);
            Json.encode(lifecycle.greeting("warmup-" + i, principal.user(), Instant.now(), "warmup", i));
            if (redis) {
                pending.add(rules.admission(USER).replaceWithVoid());
                pending.add(presence.add(USER, member).onFailure().recoverWithNull());
                if (pending.size() >= 2 * IN_FLIGHT) {
                    redis = awaitAll(pending, deadline);
                }
            }
            performed = i + 1;
        }
        if (redis) {
            awaitAll(pending, deadline);
            presence.remove(USER, member).onFailure().recoverWithNull().await().atMost(REMOVE_TIMEOUT);
        }
    }

    /** One admission read first: if Redis does not answer, the warm-up does without it. */
    private boolean redisAnswers(long deadline) {
        HandshakeRules.Admission admission = rules.admission(USER).await()
                .atMost(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        if (admission.unchecked()) {
            Log.info("Boot warm-up runs without Redis: it does not answer");
            return false;
        }
        return true;
    }

    /** Waits for the commands in flight; false when they did not all answer before the deadline. */
    private static boolean awaitAll(List<Uni<Void>> pending, long deadline) {
        if (pending.isEmpty()) {
            return true;
        }
        try {
            Uni.join().all(pending).andCollectFailures().await()
                    .atMost(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            return true;
        } catch (RuntimeException e) {
            Log.infof("Boot warm-up continues without Redis: %s", e.toString());
            return false;
        } finally {
            pending.clear();
        }
    }
}
