package dev.tocsin.e2e.harness;

import dev.tocsin.localinfra.RespCall;

import java.io.IOException;
import java.net.URI;

/**
 * One Redis command at a time over RESP, on a fresh connection each: the harness needs a handful of writes (a ban, the
 * epoch key) and must not hold a connection across a Redis restart. Replies: String (simple or bulk, null for nil),
 * Long, List, or an {@link IOException} for an error reply.
 */
final class RedisCommands {

    private final String host;
    private final int port;

    RedisCommands(String redisUri) {
        URI uri = URI.create(redisUri);
        this.host = uri.getHost();
        this.port = uri.getPort() < 0 ? 6379 : uri.getPort();
    }

    Object call(String... args) throws IOException {
        return RespCall.call(host, port, args);
    }
}
