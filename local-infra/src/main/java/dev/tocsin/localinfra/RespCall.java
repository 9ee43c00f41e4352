package dev.tocsin.localinfra;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One Redis command over a fresh connection, for harnesses (role, replication, what the sentinels say, a test's
 * own writes): it must not hold a connection across a Redis restart or failover. Deliberately tiny: local-infra
 * carries no Redis client library, and the services' client is the thing under test. Replies: simple and bulk
 * strings as {@link String}, integers as {@link Long}, arrays as {@link List}, nil as null; an error reply is
 * thrown as {@link IOException}.
 */
public final class RespCall {

    private RespCall() {
    }

    static Object call(int port, String... args) throws IOException {
        return call(InetAddress.getLoopbackAddress().getHostAddress(), port, args);
    }

    public static Object call(String host, int port, String... args) throws IOException {
        return callWithPassword(host, port, null, args);
    }

    /** {@link #call(String, int, String...)} on a server that requires {@code password} (AUTH first; none when null). */
    public static Object callWithPassword(String host, int port, String password, String... args) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2_000);
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            StringBuilder request = new StringBuilder();
            if (password != null) {
                append(request, "AUTH", password);
            }
            append(request, args);
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            if (password != null) {
                read(in); // OK, or an error reply thrown as IOException
            }
            return read(in);
        }
    }

    static Object callWithPassword(int port, String password, String... args) throws IOException {
        return callWithPassword(InetAddress.getLoopbackAddress().getHostAddress(), port, password, args);
    }

    private static void append(StringBuilder request, String... args) {
        request.append('*').append(args.length).append("\r\n");
        for (String arg : args) {
            request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
                    .append(arg).append("\r\n");
        }
    }

    /** The value of {@code field} in an INFO section ("role", "master_link_status"...), null when absent. */
    static String infoField(int port, String section, String field) throws IOException {
        return infoField(port, null, section, field);
    }

    /** {@link #infoField(int, String, String)} on a server that requires {@code password} (none when null). */
    static String infoField(int port, String password, String section, String field) throws IOException {
        return infoFieldOf(callWithPassword(port, password, "INFO", section), field);
    }

    /** The value of {@code field} in an INFO-style reply ({@code INFO}, {@code CLUSTER INFO}), null when absent. */
    static String infoFieldOf(Object reply, String field) {
        for (String line : String.valueOf(reply).split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        return null;
    }

    private static Object read(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new IOException("Redis: " + line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] data = in.readNBytes(length);
                line(in);
                return new String(data, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(read(in));
                }
                return items;
            }
            default:
                throw new IOException("unexpected reply type " + type);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\r') {
            if (b < 0) {
                throw new IOException("connection closed mid-reply");
            }
            buffer.write(b);
        }
        in.read(); // '\n'
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
