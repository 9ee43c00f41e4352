package dev.tocsin.e2e;

import dev.tocsin.localinfra.FreePort;
import dev.tocsin.localinfra.LocalStack;
import dev.tocsin.localinfra.ServiceProcess;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged services one end-to-end test class runs against, started before its first test and stopped after its
 * last: alert-ingest and a gateway by default; more gateways, relays pointed at a {@link FakeTelegram}, or Redis
 * behind sentinels or as a cluster when the class asks. A test class registers one and states only what differs:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TocsinStack tocsin = TocsinStack.named("push").withTelegramRelays(1, BOT_TOKEN, Map.of());
 * }</pre>
 */
final class TocsinStack implements BeforeAllCallback, AfterAllCallback {

    static final Duration GREETING_WAIT = Duration.ofSeconds(30);

    private final String name;
    /** Which Redis the stack runs on. */
    private enum Redis { SINGLE, SENTINEL, CLUSTER }

    private Redis redis = Redis.SINGLE;
    private final Map<String, String> gatewayConfig = new HashMap<>();
    private int gatewayCount = 1;
    private int relayCount;
    private String botToken;
    private final Map<String, String> relayConfig = new HashMap<>();

    private LocalStack stack;
    private FakeTelegram telegram;
    private ServiceProcess ingest;
    private final List<ServiceProcess> gateways = new ArrayList<>();
    private final List<ServiceProcess> relays = new ArrayList<>();

    private TocsinStack(String name) {
        this.name = name;
    }

    /** alert-ingest and one gateway on a fresh MongoDB and Redis; logs under {@code e2e/target/<name>-<time>/}. */
    static TocsinStack named(String name) {
        return new TocsinStack(name);
    }

    /** Redis as a master, a replica and three sentinels instead of one server. */
    TocsinStack withSentinel() {
        this.redis = Redis.SENTINEL;
        return this;
    }

    /** Redis as a cluster of three masters with a replica each, the services in cluster mode. */
    TocsinStack withCluster() {
        this.redis = Redis.CLUSTER;
        return this;
    }

    /** Extra settings for every gateway. */
    TocsinStack withGatewayConfig(Map<String, String> extraGatewayConfig) {
        this.gatewayConfig.putAll(extraGatewayConfig);
        return this;
    }

    /** {@code count} gateways on the same Redis instead of one. */
    TocsinStack withGateways(int count) {
        this.gatewayCount = count;
        return this;
    }

    /** {@code count} notification relays whose Telegram is a {@link FakeTelegram} for {@code botToken}, with extra settings. */
    TocsinStack withTelegramRelays(int count, String botToken, Map<String, String> extraRelayConfig) {
        this.relayCount = count;
        this.botToken = botToken;
        this.relayConfig.putAll(extraRelayConfig);
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (botToken != null) {
            telegram = new FakeTelegram(botToken);
        }
        stack = switch (redis) {
            case SENTINEL -> Tocsin.infrastructureWithSentinel(name);
            case CLUSTER -> Tocsin.infrastructureWithCluster(name);
            case SINGLE -> Tocsin.infrastructure(name);
        };
        ingest = stack.startService(LocalStack.INGEST, FreePort.find(), Map.of());
        for (int i = 0; i < Math.max(gatewayCount, relayCount); i++) {
            // interleaved as the services would come up in a rolling start
            if (i < gatewayCount) {
                gateways.add(stack.startService(LocalStack.GATEWAY, FreePort.find(), gatewayConfig));
            }
            if (i < relayCount) {
                Map<String, String> config = new HashMap<>(telegram.relayConfig());
                config.putAll(relayConfig);
                relays.add(stack.startService(LocalStack.RELAY, FreePort.find(), config));
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (stack != null) {
            stack.close();
        }
        if (telegram != null) {
            telegram.close();
        }
    }

    LocalStack stack() {
        return stack;
    }

    ServiceProcess ingest() {
        return ingest;
    }

    /** The (first) gateway. */
    ServiceProcess gateway() {
        return gateways.get(0);
    }

    List<ServiceProcess> gateways() {
        return List.copyOf(gateways);
    }

    /** The (first) relay. */
    ServiceProcess relay() {
        return relays.get(0);
    }

    List<ServiceProcess> relays() {
        return List.copyOf(relays);
    }

    /** The Telegram server the relays send to; null without relays. */
    FakeTelegram telegram() {
        return telegram;
    }

    /** The WebSocket URL of the (first) gateway. */
    String wsUrl() {
        return wsUrl(gateway());
    }

    static String wsUrl(ServiceProcess gateway) {
        return "ws://127.0.0.1:" + gateway.port() + "/ws/alerts";
    }

    /** A fresh token for {@code user} in {@code role}. */
    String token(String user, String role) {
        return stack.jwt().token(user, role);
    }

    /** A client of the (first) gateway for {@code user} in {@code role}, token in the header, once it was greeted. */
    WsClient connect(String user, String role) {
        return connect(gateway(), user, role);
    }

    /** A client of {@code gateway} for {@code user} in {@code role}, token in the header, once it was greeted. */
    WsClient connect(ServiceProcess gateway, String user, String role) {
        WsClient client = WsClient.connect(wsUrl(gateway), token(user, role), WsClient.TokenTransport.HEADER);
        client.awaitOfType("connection_established", 1, GREETING_WAIT);
        return client;
    }

    /** A call to alert-ingest's REST API as {@code user} in {@code role}; GET when body is null. */
    HttpResponse<String> call(String method, String path, String user, String role, String body)
            throws IOException, InterruptedException {
        return Tocsin.call(stack, ingest, method, path, user, role, body);
    }
}
