package dev.tocsin.e2e.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How the Kubernetes manifests run one service's container, read from the rendered prod overlay
 * ({@code kubectl kustomize deploy/k8s/overlays/prod}) so the container test follows the manifests as they change:
 * user, read-only root, capabilities, privilege escalation, memory and CPU limits, writable mounts, the other mounts,
 * the ConfigMap environment, the termination grace period and the preStop sleep. Without {@code kubectl} it reads the
 * environment-neutral {@code deploy/k8s/base} deployments instead (and says so: overlay patches are then missing).
 */
public record ManifestSpec(String service, long runAsUser, long runAsGroup, boolean readOnlyRootFilesystem,
        boolean dropAllCapabilities, boolean noPrivilegeEscalation, String memoryLimit, String cpuLimit,
        long terminationGracePeriodSeconds, long preStopSleepSeconds, Map<String, String> emptyDirs,
        List<Mount> otherMounts, Map<String, String> configEnv, Map<String, String> plainEnv, String source) {

    /** A mounted ConfigMap or Secret volume: where, which object, which items (key → path), and whether optional. */
    public record Mount(String mountPath, String kind, String objectName, Map<String, String> items, boolean optional,
            boolean readOnly) {
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Every Deployment's spec by container name, from the prod overlay (or the base, see the class comment). */
    public static Map<String, ManifestSpec> read(Path repoRoot) {
        Path overlay = repoRoot.resolve("deploy/k8s/overlays/prod");
        String source;
        List<JsonNode> objects;
        String rendered = kustomize(overlay);
        if (rendered != null) {
            source = "kubectl kustomize deploy/k8s/overlays/prod";
            objects = parse(rendered);
        } else {
            source = "deploy/k8s/base (no kubectl: prod overlay patches not applied)";
            objects = new ArrayList<>();
            for (String service : List.of("alert-ingest", "alert-gateway", "notification-relay")) {
                try {
                    objects.addAll(parse(Files.readString(repoRoot.resolve("deploy/k8s/base/" + service + "/deployment.yaml"))));
                    // its configMapGenerator literals stand for the ConfigMap (read below)
                    objects.addAll(parse(Files.readString(repoRoot.resolve("deploy/k8s/base/" + service + "/kustomization.yaml"))));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        Map<String, JsonNode> configMaps = new LinkedHashMap<>();
        for (JsonNode object : objects) {
            if ("ConfigMap".equals(object.path("kind").asText())) {
                configMaps.put(object.at("/metadata/name").asText(), object.path("data"));
            }
            // base fallback: the generator's literals, under the generator's name (no hash suffix there either)
            for (JsonNode generator : object.path("configMapGenerator")) {
                Map<String, String> data = new LinkedHashMap<>();
                for (JsonNode literal : generator.path("literals")) {
                    String text = literal.asText();
                    int eq = text.indexOf('=');
                    data.put(text.substring(0, eq), text.substring(eq + 1));
                }
                configMaps.put(generator.path("name").asText(), YAML.valueToTree(data));
            }
        }
        Map<String, ManifestSpec> specs = new LinkedHashMap<>();
        for (JsonNode object : objects) {
            if ("Deployment".equals(object.path("kind").asText())) {
                JsonNode pod = object.at("/spec/template/spec");
                for (JsonNode container : pod.path("containers")) {
                    ManifestSpec spec = of(pod, container, configMaps, source);
                    specs.put(spec.service(), spec);
                }
            }
        }
        return specs;
    }

    private static ManifestSpec of(JsonNode pod, JsonNode container, Map<String, JsonNode> configMaps, String source) {
        JsonNode podSecurity = pod.path("securityContext");
        JsonNode security = container.path("securityContext");
        long uid = security.has("runAsUser") ? security.get("runAsUser").asLong() : podSecurity.path("runAsUser").asLong(-1);
        long gid = security.has("runAsGroup") ? security.get("runAsGroup").asLong() : podSecurity.path("runAsGroup").asLong(uid);
        boolean dropAll = false;
        for (JsonNode drop : security.at("/capabilities/drop")) {
            dropAll |= "ALL".equals(drop.asText());
        }
        Map<String, JsonNode> volumes = new LinkedHashMap<>();
        for (JsonNode volume : pod.path("volumes")) {
            volumes.put(volume.path("name").asText(), volume);
        }
        Map<String, String> emptyDirs = new LinkedHashMap<>();
        List<Mount> others = new ArrayList<>();
        for (JsonNode mount : container.path("volumeMounts")) {
            JsonNode volume = volumes.get(mount.path("name").asText());
            String path = mount.path("mountPath").asText();
            if (volume == null) {
                throw new IllegalStateException("volumeMount " + mount + " names no volume");
            }
            if (volume.has("emptyDir")) {
                emptyDirs.put(path, volume.at("/emptyDir/sizeLimit").asText(""));
            } else {
                String kind = volume.has("configMap") ? "configMap" : volume.has("secret") ? "secret" : volume.fieldNames().next();
                JsonNode source2 = volume.path(kind);
                String name = kind.equals("secret") ? source2.path("secretName").asText() : source2.path("name").asText();
                Map<String, String> items = new LinkedHashMap<>();
                for (JsonNode item : source2.path("items")) {
                    items.put(item.path("key").asText(), item.path("path").asText());
                }
                others.add(new Mount(path, kind, name, items, source2.path("optional").asBoolean(false),
                        mount.path("readOnly").asBoolean(false)));
            }
        }
        Map<String, String> configEnv = new LinkedHashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            String name = from.at("/configMapRef/name").asText(null);
            if (name != null) {
                JsonNode data = configMaps.get(name);
                if (data == null) {
                    throw new IllegalStateException("envFrom names the unknown ConfigMap " + name);
                }
                data.fields().forEachRemaining(e -> configEnv.put(e.getKey(), e.getValue().asText()));
            }
        }
        Map<String, String> plainEnv = new LinkedHashMap<>();
        for (JsonNode env : container.path("env")) {
            if (env.has("value")) {
                plainEnv.put(env.path("name").asText(), env.path("value").asText());
            }
        }
        return new ManifestSpec(container.path("name").asText(), uid, gid,
                security.path("readOnlyRootFilesystem").asBoolean(false), dropAll,
                security.has("allowPrivilegeEscalation") && !security.get("allowPrivilegeEscalation").asBoolean(),
                container.at("/resources/limits/memory").asText(null), container.at("/resources/limits/cpu").asText(null),
                pod.path("terminationGracePeriodSeconds").asLong(30),
                container.at("/lifecycle/preStop/sleep/seconds").asLong(0),
                emptyDirs, others, configEnv, plainEnv, source);
    }

    /** A Kubernetes quantity of memory ({@code 768Mi}, {@code 1Gi}, {@code 500M}, bytes) in bytes. */
    public static long bytes(String quantity) {
        String[][] suffixes = {{"Ki", "1024"}, {"Mi", "1048576"}, {"Gi", "1073741824"}, {"Ti", "1099511627776"},
                {"k", "1000"}, {"M", "1000000"}, {"G", "1000000000"}, {"T", "1000000000000"}};
        for (String[] suffix : suffixes) {
            if (quantity.endsWith(suffix[0])) {
                return new BigDecimal(quantity.substring(0, quantity.length() - suffix[0].length()))
                        .multiply(new BigDecimal(suffix[1])).longValueExact();
            }
        }
        return new BigDecimal(quantity).longValueExact();
    }

    /** A Kubernetes CPU quantity ({@code 500m}, {@code 2}) as Docker's {@code --cpus} value. */
    public static String cpus(String quantity) {
        BigDecimal cores = quantity.endsWith("m")
                ? new BigDecimal(quantity.substring(0, quantity.length() - 1)).movePointLeft(3)
                : new BigDecimal(quantity);
        return cores.stripTrailingZeros().toPlainString();
    }

    private static String kustomize(Path dir) {
        try {
            Process process = new ProcessBuilder("kubectl", "kustomize", dir.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + dir + " failed (exit "
                        + (process.isAlive() ? "timeout" : process.exitValue()) + ")");
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null; // no kubectl
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<JsonNode> parse(String yaml) {
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    objects.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }
}
