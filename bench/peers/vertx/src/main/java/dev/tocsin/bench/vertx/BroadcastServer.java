package dev.tocsin.bench.vertx;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ResponseType;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JVM ceiling for the benchmark: a bare Vert.x WebSocket server that subscribes to the Redis event channel and
 * writes every message, as is, to every open socket. No authentication, no filters, no queues, no batching: what
 * the gateway costs above this is the price of its features.
 *
 * <p>Usage: {@code java -jar target/vertx-broadcast.jar <port> <redis-uri> <channel>}; also serves {@code GET /health}
 * (200 once subscribed). Every WebSocket text message is answered as is (echo), so clients can ping.
 */
public final class BroadcastServer {

    private BroadcastServer() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args.length > 0 ? args[0] : "8090");
        String redisUri = args.length > 1 ? args[1] : "redis://127.0.0.1:6379";
        String channel = args.length > 2 ? args[2] : "tocsin:events";
        // One event loop per core, like Quarkus' default; sockets are spread over them by Vert.x.
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Runtime.getRuntime().availableProcessors()));
        Set<ServerWebSocket> sockets = ConcurrentHashMap.newKeySet();
        boolean[] subscribed = {false};

        vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setIdleTimeout(0))
                .webSocketHandler(ws -> {
                    sockets.add(ws);
                    ws.closeHandler(v -> sockets.remove(ws));
                    ws.exceptionHandler(e -> sockets.remove(ws));
                    ws.textMessageHandler(text -> ws.writeTextMessage(text));
                })
                .requestHandler(req -> req.response().setStatusCode(subscribed[0] ? 200 : 503)
                        .end(subscribed[0] ? "UP" : "DOWN"))
                .listen(port, "127.0.0.1")
                .onFailure(e -> {
                    e.printStackTrace();
                    System.exit(1);
                });

        Redis.createClient(vertx, new RedisOptions().setConnectionString(redisUri)).connect().onSuccess(conn -> {
            conn.handler(message -> {
                // pub/sub push: ["message", channel, payload]
                if (message.type() == ResponseType.PUSH && message.size() == 3
                        && "message".equals(message.get(0).toString())) {
                    // one String per event, written to every socket (as Tocsin's fan-out does: the text is shared,
                    // the transport frames it per connection)
                    String text = message.get(2).toString();
                    for (ServerWebSocket ws : sockets) {
                        if (!ws.isClosed()) {
                            ws.writeTextMessage(text);
                        }
                    }
                }
            });
            conn.send(Request.cmd(Command.SUBSCRIBE).arg(channel)).onSuccess(r -> {
                subscribed[0] = true;
                System.out.println("vertx-broadcast listening on " + port + ", subscribed to " + channel);
            }).onFailure(e -> {
                e.printStackTrace();
                System.exit(1);
            });
        }).onFailure(e -> {
            e.printStackTrace();
            System.exit(1);
        });
    }
}
