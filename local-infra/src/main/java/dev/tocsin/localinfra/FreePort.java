package dev.tocsin.localinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;

/** Free loopback ports and waiting for a port to accept connections. */
public final class FreePort {

    private FreePort() {
    }

    public static int find() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    /** Waits until something accepts TCP connections on 127.0.0.1:port, or fails after the deadline. */
    public static void awaitListening(int port, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("nothing listens on port " + port + " after " + timeout);
                }
                pause();
            }
        }
    }

    /** Waits until nothing accepts connections on the port any more. */
    public static void awaitClosed(int port, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            } catch (IOException e) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("port " + port + " still accepts after " + timeout);
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50); // poll interval of a deadline-bounded wait, not a race
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
