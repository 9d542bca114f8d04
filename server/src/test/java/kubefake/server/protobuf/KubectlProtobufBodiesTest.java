package kubefake.server.protobuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kubefake.testkit.KubectlBinaries;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the same command with the real kubectl 1.31 (sends JSON), 1.32 and 1.33 (send protobuf) against
 * {@link CapturingApiServer} and checks that each decoded protobuf body is the JSON body 1.31 sent.
 *
 * <p>The binaries are found by {@link KubectlBinaries}; a command is reported skipped when one of the three versions is
 * not installed. With {@code -Dkubefake.protobuf.recordFixtures=<dir>} the test
 * also writes the 1.33 and 1.31 bodies as {@code <name>.pb} and {@code <name>.json}, the fixtures of
 * {@link ProtobufFixturesTest}.
 */
class KubectlProtobufBodiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path home;

    private static CapturingApiServer server;
    private static Path kubeconfig;

    @BeforeAll
    static void startServer() throws IOException {
        server = new CapturingApiServer();
        kubeconfig = home.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: capture, cluster: {server: "%s"}}]
                users: [{name: capture, user: {token: capture-token}}]
                contexts: [{name: capture, context: {cluster: capture, user: capture, namespace: default}}]
                current-context: capture
                """.formatted(server.url()));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    static Stream<Arguments> commands() {
        return Stream.of(
                command("configmap", "create configmap cm --from-literal=a=b --from-literal=empty="),
                command("secret-generic", "create secret generic s --from-literal=k=v --from-literal=empty="),
                command("secret-docker-registry", "create secret docker-registry reg --docker-username=u --docker-password=p"),
                command("namespace", "create namespace ns1"),
                command("deployment-replicas-0", "create deployment d0 --image=nginx --replicas=0"),
                command("deployment-replicas-3-port-80", "create deployment d3 --image=nginx --replicas=3 --port=80"),
                command("service-nodeport", "create service nodeport np --tcp=80:8080"),
                command("service-clusterip-none", "create service clusterip headless --clusterip=None"),
                command("serviceaccount", "create serviceaccount sa"),
                command("job", "create job j --image=busybox -- echo hi"),
                command("job-from-cronjob", "create job manual --from=cronjob/nightly"),
                command("cronjob", "create cronjob cj --image=busybox --schedule=*/5_*_*_*_* -- date"),
                command("role", "create role r --verb=get,list --resource=pods"),
                command("rolebinding", "create rolebinding rb --role=r --user=bob --serviceaccount=default:sa"),
                command("clusterrole", "create clusterrole cr --verb=get --resource=nodes --non-resource-url=/logs"),
                command("clusterrolebinding", "create clusterrolebinding crb --clusterrole=cr --group=g"),
                command("quota", "create quota q --hard=pods=2,cpu=1,memory=1Gi"),
                command("pdb", "create pdb p --selector=app=a --min-available=50%"),
                command("priorityclass-value-0", "create priorityclass pc --value=0"),
                command("ingress", "create ingress ing --rule=foo.com/bar=svc:80 --class=nginx"),
                command("token", "create token sa --duration=10m"),
                command("auth-can-i", "auth can-i get pods"),
                command("auth-can-i-list", "auth can-i --list"),
                command("auth-whoami", "auth whoami"),
                // The approval condition carries the time of the run: the two runs may be a second apart.
                command("certificate-approve", "certificate approve csr1", "/status/conditions/0/lastUpdateTime"));
    }

    /**
     * Arguments split at spaces (an underscore stands for a space inside one argument), and the JSON pointers of
     * values that differ from run to run.
     */
    private static Arguments command(String name, String args, String... volatilePointers) {
        List<String> split = Stream.of(args.split(" ")).map(a -> a.replace('_', ' ')).toList();
        return Arguments.of(name, split, List.of(volatilePointers));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void protobufBodiesOfKubectl132And133DecodeToTheJsonBodyOfKubectl131(String name, List<String> args,
            List<String> volatilePointers) throws Exception {
        KubectlBinaries.requireAll("1.31", "1.32", "1.33");
        CapturingApiServer.Body json = runAndCapture("1.31", args);
        assertEquals("application/json", json.contentType());
        JsonNode sent = JSON.readTree(json.bytes());
        CapturingApiServer.Body protobuf = null;
        for (String version : List.of("1.32", "1.33")) {
            protobuf = runAndCapture(version, args);
            assertEquals("application/vnd.kubernetes.protobuf", protobuf.contentType(), version);
            assertEquals(json.path(), protobuf.path(), version);

            JsonNode decoded = ProtobufDecoder.decode(protobuf.bytes());
            for (String pointer : volatilePointers) {
                takeTimeOfTheLaterRun(sent, decoded, JsonPointer.compile(pointer));
            }
            assertEquals(GoJson.withoutNulls(sent), decoded, "kubectl " + version);
        }

        String recordDir = System.getProperty("kubefake.protobuf.recordFixtures");
        if (recordDir != null) {
            Files.write(Path.of(recordDir, name + ".pb"), protobuf.bytes());
            Files.writeString(Path.of(recordDir, name + ".json"),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(sent) + "\n");
        }
    }

    /** Checks that both runs wrote a time there, seconds apart, and puts the decoded one into {@code sent}. */
    private static void takeTimeOfTheLaterRun(JsonNode sent, JsonNode decoded, JsonPointer pointer) {
        Instant sentTime = Instant.parse(sent.at(pointer).asText());
        Instant decodedTime = Instant.parse(decoded.at(pointer).asText());
        assertTrue(Duration.between(sentTime, decodedTime).abs().getSeconds() < 60, sentTime + " vs " + decodedTime);
        ((ObjectNode) sent.at(pointer.head())).set(pointer.last().getMatchingProperty(), decoded.at(pointer));
    }

    private CapturingApiServer.Body runAndCapture(String version, List<String> args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(kubectl(version).toString());
        command.add("--kubeconfig=" + kubeconfig);
        command.add("--cache-dir=" + home.resolve("cache-" + version));
        command.addAll(args);
        server.takeBodies();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "kubectl " + version + " did not finish");
        assertEquals(0, process.exitValue(), () -> "kubectl " + version + " " + args + " failed:\n" + output);
        List<CapturingApiServer.Body> bodies = server.takeBodies();
        assertEquals(1, bodies.size(), () -> "kubectl " + version + " " + args + " sent " + bodies.size() + " bodies");
        return bodies.get(0);
    }

    private static Path kubectl(String version) {
        return KubectlBinaries.require(version);
    }
}
