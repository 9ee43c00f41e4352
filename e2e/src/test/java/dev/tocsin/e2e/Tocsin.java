package dev.tocsin.e2e;

import dev.tocsin.localinfra.LocalStack;
import dev.tocsin.localinfra.ServiceBinary;
import dev.tocsin.localinfra.ServiceProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/** Helpers every end-to-end test shares: a fresh stack with its own log folder, and REST calls as a user. */
final class Tocsin {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Tocsin() {
    }

    /**
     * MongoDB, Redis and keys for one test class; logs under {@code e2e/target/<name>-<time>/}. The services it starts
     * run from their jars, or from their native executables with {@code -Dtocsin.native=true} ({@link ServiceBinary}).
     */
    static LocalStack infrastructure(String name) {
        return LocalStack.infrastructure(repoRoot(), workDir(name), null, null);
    }

    /** Like {@link #infrastructure}, with Redis as a master, a replica and three sentinels. */
    static LocalStack infrastructureWithSentinel(String name) {
        return LocalStack.infrastructureWithSentinel(repoRoot(), workDir(name));
    }

    /** Like {@link #infrastructure}, with Redis as a cluster of three masters with a replica each. */
    static LocalStack infrastructureWithCluster(String name) {
        return LocalStack.infrastructureWithCluster(repoRoot(), workDir(name));
    }

    private static Path repoRoot() {
        return Path.of(System.getProperty("tocsin.repo.root", "..")).toAbsolutePath().normalize();
    }

    private static Path workDir(String name) {
        try {
            Path work = Files.createDirectories(repoRoot().resolve("e2e/target/" + name + "-" + System.currentTimeMillis()));
            if (ServiceBinary.nativeRequested()) {
                // for the CI log: this run starts the native executables (ContainerE2ETest starts images instead)
                System.out.println(name + ": services run from their native executables");
            }
            return work;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A call to alert-ingest's REST API with a fresh token for {@code user} in {@code role}; GET when body is null. */
    static HttpResponse<String> call(LocalStack stack, ServiceProcess ingest, String method, String path, String user,
            String role, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ingest.baseUrl() + path))
                .header("Authorization", "Bearer " + stack.jwt().token(user, role));
        if (body == null) {
            request.GET();
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
