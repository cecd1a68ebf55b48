package dev.mediasync.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The deployment files parse and keep the rules an operator relies on; no Docker or cluster needed.
 * Compose: Kafka's log on a volume, no auto-created topics, a health check and an ordered start for
 * every service, dev tokens off unless asked for. Dockerfile: built from the sources, runs as non-root.
 * k8s: every manifest of the kustomization exists and parses; non-root pods (fsGroup where a volume is
 * written), probes, memory limits the JVM settings fit in, Parallel processor pods, disruption budgets,
 * the query API open to gateways only, WebSocket timeouts at the ingress, optional relay secrets, image
 * tags that match the build.
 */
class DeploymentFilesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final List<String> SERVICES = List.of("state-processor", "gateway", "pubnub-relay", "trending");

    @Test
    void composeKeepsKafkasLogOnAVolumeAndCreatesNoTopicByAccident() {
        JsonNode kafka = compose().get("services").get("kafka");
        JsonNode env = kafka.get("environment");
        String logDirs = env.get("KAFKA_LOG_DIRS").asString();
        assertThat(mounts(kafka)).as("a volume at KAFKA_LOG_DIRS").anyMatch(m -> m.endsWith(":" + logDirs));
        assertThat(env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE").asString()).isEqualTo("false");
        assertThat(env.get("KAFKA_ADVERTISED_LISTENERS").asString()).as("a listener for consumers on the host")
                .contains("localhost:29092");
        assertThat(strings(kafka.get("ports"))).anyMatch(p -> p.endsWith(":29092"));
    }

    @Test
    void composeBuildsEveryServiceFromTheSourcesAndStartsItWhenWhatItNeedsIsHealthy() {
        JsonNode services = compose().get("services");
        for (String name : SERVICES) {
            JsonNode service = services.get(name);
            assertThat(service).as(name).isNotNull();
            assertThat(service.get("build").get("args").get("MODULE").asString()).isEqualTo(name);
            assertThat(Files.isDirectory(ROOT.resolve(name))).as("module " + name).isTrue();
            assertThat(service.get("healthcheck")).as(name + " health check").isNotNull();
            assertThat(service.get("depends_on").properties()).as(name + " waits for healthy dependencies")
                    .allMatch(dependency -> dependency.getValue().get("condition").asString().equals("service_healthy"));
        }
        assertThat(services.get("kafka").get("healthcheck")).isNotNull();
        // the topics' owner first: whoever else touched a topic first would create it with the wrong policy
        for (String reader : List.of("gateway", "pubnub-relay", "trending")) {
            assertThat(services.get(reader).get("depends_on").has("state-processor")).as(reader).isTrue();
        }
        assertThat(services.get("gateway").get("environment").get("SYNC_SECURITY_DEV_TOKENS").asString())
                .as("dev tokens only when asked for").isEqualTo("${SYNC_DEV:-false}");
        assertThat(mounts(services.get("state-processor"))).anyMatch(m -> m.endsWith(":/data"));
    }

    @Test
    void theImageIsBuiltFromTheSourcesAndRunsAsANonRootUser() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        assertThat(dockerfile).contains("AS build", "./mvnw", "COPY --from=build");
        Matcher user = Pattern.compile("(?m)^USER (\\S+)").matcher(dockerfile);
        assertThat(user.find()).isTrue();
        assertThat(user.group(1)).doesNotStartWith("root").doesNotStartWith("0");
        assertThat(Files.readAllLines(ROOT.resolve(".dockerignore"))).contains(".git", "**/target");
    }

    @Test
    void everyManifestOfTheKustomizationsExistsAndParses() {
        for (Path kustomization : List.of(ROOT.resolve("k8s/base/kustomization.yaml"),
                ROOT.resolve("k8s/overlays/dev/kustomization.yaml"))) {
            for (String resource : strings(read(kustomization).get(0).get("resources"))) {
                Path target = kustomization.getParent().resolve(resource).normalize();
                assertThat(Files.exists(target)).as(kustomization + " names " + resource).isTrue();
            }
        }
        assertThat(manifests()).extracting(m -> m.get("kind").asString())
                .contains("StatefulSet", "Deployment", "Ingress", "NetworkPolicy", "PodDisruptionBudget");
    }

    @Test
    void podsRunAsNonRootWithProbesAndMemoryLimitsTheirSettingsFitIn() {
        for (JsonNode workload : workloads()) {
            String name = workload.get("metadata").get("name").asString();
            JsonNode pod = workload.get("spec").get("template").get("spec");
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).as(name + " runAsNonRoot").isTrue();
            boolean writesAVolume = workload.get("spec").has("volumeClaimTemplates") || pod.has("volumes");
            if (writesAVolume) {
                assertThat(pod.at("/securityContext/fsGroup").asInt()).as(name + " fsGroup").isEqualTo(10001);
            }
            for (JsonNode container : pod.get("containers")) {
                assertThat(container.has("readinessProbe") && container.has("livenessProbe")).as(name + " probes").isTrue();
                long limit = mebibytes(container.at("/resources/limits/memory").asString());
                assertThat(limit).as(name + " memory limit").isPositive();
                long heap = mebibytes(javaToolOption(container, "-Xmx"));
                long rocksdb = env(container, "SYNC_PROCESSOR_ROCKSDB_MEMORY") == null ? 0
                        : mebibytes(env(container, "SYNC_PROCESSOR_ROCKSDB_MEMORY"));
                // the JVM's own memory (metaspace, threads, buffers) needs about a quarter of a GiB at least
                assertThat(heap + rocksdb + 256).as(name + ": heap " + heap + " + RocksDB " + rocksdb
                        + " + 256 MiB within the " + limit + " MiB limit").isLessThanOrEqualTo(limit);
            }
        }
    }

    @Test
    void everyGatewayReadsTheDeliverySlotOfItsOrdinal() {
        JsonNode gateway = named("StatefulSet", "gateway");
        JsonNode slot = StreamSupport.stream(gateway.at("/spec/template/spec/containers/0/env").spliterator(), false)
                .filter(env -> env.get("name").asString().equals("SYNC_GATEWAY_SLOT")).findFirst().orElseThrow();
        assertThat(slot.at("/valueFrom/fieldRef/fieldPath").asString())
                .isEqualTo("metadata.labels['apps.kubernetes.io/pod-index']");
    }

    @Test
    void theProcessorStartsInParallelAndKeepsEnoughPodsThroughADrain() {
        JsonNode processor = named("StatefulSet", "state-processor");
        assertThat(processor.at("/spec/podManagementPolicy").asString()).isEqualTo("Parallel");
        List<String> budgeted = kind("PodDisruptionBudget").stream()
                .map(pdb -> pdb.at("/spec/selector/matchLabels/app").asString()).toList();
        assertThat(budgeted).contains("state-processor", "gateway", "pubnub-relay");
    }

    @Test
    void theQueryApiAnswersGatewaysAndProcessorsOnly() {
        JsonNode policy = kind("NetworkPolicy").stream()
                .filter(p -> p.at("/spec/podSelector/matchLabels/app").asString().equals("state-processor"))
                .findFirst().orElseThrow();
        JsonNode queryRule = StreamSupport.stream(policy.at("/spec/ingress").spliterator(), false)
                .filter(rule -> StreamSupport.stream(rule.get("ports").spliterator(), false)
                        .anyMatch(port -> port.get("port").asInt() == 8081))
                .findFirst().orElseThrow();
        assertThat(StreamSupport.stream(queryRule.get("from").spliterator(), false)
                .map(from -> from.at("/podSelector/matchLabels/app").asString()).toList())
                .containsExactlyInAnyOrder("gateway", "state-processor");
    }

    @Test
    void theIngressKeepsWebSocketsOpenAndTheRelaysSecretsAreOptional() {
        JsonNode ingress = kind("Ingress").get(0);
        assertThat(Integer.parseInt(ingress.at("/metadata/annotations")
                .get("nginx.ingress.kubernetes.io/proxy-read-timeout").asString())).isGreaterThanOrEqualTo(3600);
        JsonNode relay = workloads().stream().filter(w -> w.at("/metadata/name").asString().equals("pubnub-relay"))
                .findFirst().orElseThrow();
        for (JsonNode env : relay.at("/spec/template/spec/containers/0/env")) {
            if (env.has("valueFrom") && env.get("valueFrom").has("secretKeyRef")) {
                assertThat(env.at("/valueFrom/secretKeyRef/optional").asBoolean()).as(env.get("name").asString()).isTrue();
            }
        }
    }

    @Test
    void theImageTagsAreTheVersionTheBuildProduces() throws IOException {
        Matcher version = Pattern.compile("<artifactId>media-sync-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertThat(version.find()).isTrue();
        JsonNode images = read(ROOT.resolve("k8s/base/kustomization.yaml")).get(0).get("images");
        assertThat(images).hasSize(SERVICES.size());
        images.forEach(image -> assertThat(image.get("newTag").asString()).isEqualTo(version.group(1)));
        for (JsonNode workload : workloads()) {
            String image = workload.at("/spec/template/spec/containers/0/image").asString();
            assertThat(StreamSupport.stream(images.spliterator(), false).map(i -> i.get("name").asString()))
                    .as(image).contains(image);
        }
    }

    // ---- reading ----

    private static JsonNode compose() {
        return read(ROOT.resolve("docker-compose.yml")).get(0);
    }

    private static List<JsonNode> manifests() {
        List<JsonNode> all = new ArrayList<>();
        for (String resource : strings(read(ROOT.resolve("k8s/base/kustomization.yaml")).get(0).get("resources"))) {
            all.addAll(read(ROOT.resolve("k8s/base").resolve(resource)));
        }
        return all;
    }

    private static List<JsonNode> kind(String kind) {
        return manifests().stream().filter(m -> m.get("kind").asString().equals(kind)).toList();
    }

    private static JsonNode named(String kind, String name) {
        return kind(kind).stream().filter(m -> m.at("/metadata/name").asString().equals(name)).findFirst().orElseThrow();
    }

    private static List<JsonNode> workloads() {
        List<JsonNode> workloads = new ArrayList<>(kind("Deployment"));
        workloads.addAll(kind("StatefulSet"));
        assertThat(workloads).extracting(w -> w.at("/metadata/name").asString()).containsAll(SERVICES);
        return workloads;
    }

    private static List<JsonNode> read(Path file) {
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            return documents.readAll().stream().filter(d -> d != null && !d.isNull() && !d.isEmpty()).toList();
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }

    private static List<String> mounts(JsonNode service) {
        return service.has("volumes") ? strings(service.get("volumes")) : List.of();
    }

    private static String env(JsonNode container, String name) {
        for (JsonNode env : container.path("env")) {
            if (env.get("name").asString().equals(name)) {
                return env.path("value").asString(null);
            }
        }
        return null;
    }

    private static String javaToolOption(JsonNode container, String option) {
        String options = env(container, "JAVA_TOOL_OPTIONS");
        assertThat(options).as(container.get("name").asString() + " sets JAVA_TOOL_OPTIONS").isNotNull();
        Matcher value = Pattern.compile(Pattern.quote(option) + "(\\S+)").matcher(options);
        assertThat(value.find()).as(option + " in " + options).isTrue();
        return value.group(1);
    }

    /** "2Gi", "1536Mi", "768m", "1g", "512MB" in MiB. */
    private static long mebibytes(String size) {
        Matcher m = Pattern.compile("(\\d+)\\s*([A-Za-z]*)").matcher(size.trim());
        assertThat(m.matches()).as(size).isTrue();
        long value = Long.parseLong(m.group(1));
        return switch (m.group(2).toLowerCase()) {
            case "gi", "g", "gb" -> value * 1024;
            case "mi", "m", "mb" -> value;
            case "ki", "k", "kb" -> value / 1024;
            default -> throw new IllegalArgumentException("unknown unit in " + size);
        };
    }
}
