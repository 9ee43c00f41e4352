package dev.tocsin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.tocsin.protocol.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A local server that speaks the part of the Telegram Bot API the relay uses ({@code sendMessage}), recording each. */
final class FakeTelegram implements AutoCloseable {

    private final HttpServer server;
    private final String botToken;
    private final List<JsonNode> messages = new CopyOnWriteArrayList<>();

    FakeTelegram(String botToken) {
        this.botToken = botToken;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/bot" + botToken + "/sendMessage", exchange -> {
            messages.add(Json.tree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] answer = "{\"ok\":true,\"result\":{\"message_id\":1}}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    /** The relay settings that point it here. */
    Map<String, String> relayConfig() {
        return Map.of("tocsin.relay.telegram.base-url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "tocsin.relay.telegram.bot-token", botToken);
    }

    List<JsonNode> messagesTo(String chatId) {
        return messages.stream().filter(m -> chatId.equals(m.path("chat_id").asText())).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
