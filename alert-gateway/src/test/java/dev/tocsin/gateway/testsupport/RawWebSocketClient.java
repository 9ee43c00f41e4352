package dev.tocsin.gateway.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A minimal WebSocket client on a plain socket with a tiny receive buffer, for slow-consumer tests: after the
 * handshake it reads nothing until told to, so the server's writes back up for real (no client-side buffering
 * beyond the kernel's few KB). It reads server frames (unmasked) on demand.
 */
public final class RawWebSocketClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawWebSocketClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static RawWebSocketClient connect(URI wsUri, String token) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096); // before connect, so the advertised window stays small
        socket.connect(new InetSocketAddress(wsUri.getHost(), wsUri.getPort()), 10_000);
        socket.setSoTimeout(15_000);
        RawWebSocketClient client = new RawWebSocketClient(socket);
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        String request = "GET " + wsUri.getRawPath() + " HTTP/1.1\r\n"
                + "Host: " + wsUri.getHost() + ":" + wsUri.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Authorization: Bearer " + token + "\r\n\r\n";
        client.out.write(request.getBytes(StandardCharsets.US_ASCII));
        client.out.flush();
        String head = client.readHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            client.close();
            throw new IOException("handshake refused: " + head.lines().findFirst().orElse(""));
        }
        return client;
    }

    /** A handshake's HTTP response as the server sent it: the status, the headers (names lower-cased), the body. */
    public record HandshakeResponse(int status, java.util.Map<String, String> headers, String body) {
    }

    /**
     * Sends a WebSocket handshake with the given extra headers ({@code Authorization}, {@code Origin}, ...) and returns
     * the server's answer whole, for refusals: unlike the JDK client, this always keeps the body.
     */
    public static HandshakeResponse handshake(URI wsUri, java.util.Map<String, String> headers) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(wsUri.getHost(), wsUri.getPort()), 10_000);
            socket.setSoTimeout(15_000);
            RawWebSocketClient client = new RawWebSocketClient(socket);
            byte[] nonce = new byte[16];
            new SecureRandom().nextBytes(nonce);
            StringBuilder request = new StringBuilder("GET " + wsUri.getRawPath()
                    + (wsUri.getRawQuery() == null ? "" : "?" + wsUri.getRawQuery()) + " HTTP/1.1\r\n")
                    .append("Host: ").append(wsUri.getHost()).append(':').append(wsUri.getPort()).append("\r\n")
                    .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                    .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(nonce)).append("\r\n")
                    .append("Sec-WebSocket-Version: 13\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            client.out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            client.out.flush();
            String head = client.readHead();
            java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
            head.lines().skip(1).filter(line -> line.indexOf(':') > 0).forEach(line -> fields.put(
                    line.substring(0, line.indexOf(':')).trim().toLowerCase(java.util.Locale.ROOT),
                    line.substring(line.indexOf(':') + 1).trim()));
            int status = Integer.parseInt(head.split(" ")[1]);
            int length = Integer.parseInt(fields.getOrDefault("content-length", "0"));
            String body = status == 101 ? "" : new String(client.in.readNBytes(length), StandardCharsets.UTF_8);
            return new HandshakeResponse(status, fields, body);
        }
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during handshake");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** The next text message, or null when the server closed the connection (close frame or end of stream). */
    public String nextText() throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        while (true) {
            int b0 = in.read();
            if (b0 < 0) {
                return null;
            }
            int b1 = in.read();
            long length = b1 & 0x7f;
            if (length == 126) {
                length = ((in.read() & 0xff) << 8) | (in.read() & 0xff);
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | (in.read() & 0xff);
                }
            }
            byte[] payload = in.readNBytes((int) length);
            int opcode = b0 & 0x0f;
            if (opcode == 0x8) {
                lastCloseCode = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                return null;
            }
            if (opcode == 0x9 || opcode == 0xA) {
                continue; // control frames: ignore
            }
            message.write(payload);
            if ((b0 & 0x80) != 0) {
                return message.toString(StandardCharsets.UTF_8);
            }
        }
    }

    private int lastCloseCode = -1;

    /** The close code of the server's close frame, once {@link #nextText()} returned null because of one. */
    public int closeCode() {
        return lastCloseCode;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
