package dev.tocsin.localinfra;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalRedisTest {

    @Test
    void startsAnswersStopsAndRestartsOnTheSamePort() throws IOException {
        try (LocalRedis redis = LocalRedis.startOnFreePort()) {
            assertTrue(redis.isRunning());
            assertEquals("+PONG", ping(redis.port()));

            redis.stop();
            assertFalse(redis.isRunning());
            assertThrows(IOException.class, () -> ping(redis.port()));

            redis.start();
            assertEquals("+PONG", ping(redis.port()));
        }
    }

    private static String ping(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }
}
