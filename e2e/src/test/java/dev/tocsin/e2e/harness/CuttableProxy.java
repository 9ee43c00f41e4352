package dev.tocsin.e2e.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of the gateway for one client, whose network can be cut: a real offline period for that client
 * only, while the gateway and every other client go on. (GatewayPartitionE2ETest puts one between a gateway and Redis
 * instead, to cut that gateway alone off from Redis.) Cut: every open connection through it is reset and new ones
 * are accepted and dropped at once (what a browser sees when the network is gone: the socket dies, reconnects and
 * the {@code /ws/alerts/check} fetch fail). Restored: connections pass again. Bytes are copied unchanged, so the
 * WebSocket, its handshake and the check endpoint work through it as they do directly.
 */
public final class CuttableProxy implements AutoCloseable {

    private final String id;
    private final int targetPort;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private volatile boolean closed;

    public CuttableProxy(String id, int targetPort) throws IOException {
        this.id = id;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "proxy-" + id);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String id() {
        return id;
    }

    public int port() {
        return server.getLocalPort();
    }

    boolean isCut() {
        return cut;
    }

    /** Resets every connection through the proxy and refuses new ones until {@link #restore}. */
    public void cut() {
        cut = true;
        for (Socket socket : open) {
            reset(socket);
        }
    }

    public void restore() {
        cut = false;
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (cut) {
                reset(client);
                continue;
            }
            open.add(client); // before the upstream connect, so a cut meanwhile reaches it
            try {
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2_000);
                open.add(upstream);
                if (cut || !open.contains(client)) { // cut while connecting upstream
                    reset(client);
                    reset(upstream);
                    continue;
                }
                pipe(client, upstream);
                pipe(upstream, client);
            } catch (IOException e) {
                reset(client); // the gateway is down: the client sees its connection fail, as it would directly
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // either side went away
            } finally {
                reset(from);
                reset(to);
            }
        }, "proxy-" + id + "-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    private void reset(Socket socket) {
        open.remove(socket);
        try {
            socket.setSoLinger(true, 0); // RST, not a polite FIN: the network is gone
        } catch (IOException e) {
            // already closed
        }
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        cut();
        try {
            server.close();
        } catch (IOException e) {
            // ignore
        }
    }
}
