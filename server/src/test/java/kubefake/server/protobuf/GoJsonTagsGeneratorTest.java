package kubefake.server.protobuf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoJsonTagsGeneratorTest {

    private static String sortedPackages(String line) {
        return "@packages " + java.util.Arrays.stream(line.substring("@packages ".length()).split(" ")).sorted()
                .collect(java.util.stream.Collectors.joining(" "));
    }

    @TempDir
    Path root;

    @Test
    void writesPointersFieldsWithoutOmitemptyInlineStructsRenamesAndNamedTypes() throws Exception {
        Path apps = Files.createDirectories(root.resolve("k8s.io/api/apps/v1"));
        Files.writeString(apps.resolve("types.go"), """
                package v1

                // DeploymentSpec is the specification of the desired behavior of the Deployment.
                type DeploymentSpec struct {
                \t// Number of desired pods.
                \tReplicas *int32 `json:"replicas,omitempty" protobuf:"varint,1,opt,name=replicas"`

                \tSelector *metav1.LabelSelector `json:"selector" protobuf:"bytes,2,opt,name=selector"`
                \tMinReadySeconds int32 `json:"minReadySeconds,omitempty" protobuf:"varint,5,opt,name=minReadySeconds"`
                \tPaused bool `json:"pausedRenamed" protobuf:"varint,7,opt,name=paused"`
                \tStrategy DeploymentStrategy `json:"strategy,omitempty" protobuf:"bytes,4,opt,name=strategy"`
                }

                type DeploymentStrategy struct {
                \tType DeploymentStrategyType `json:"type,omitempty" protobuf:"bytes,1,opt,name=type,casttype=DeploymentStrategyType"`
                }

                type DeploymentStrategyType string

                type Deployment struct {
                \tmetav1.TypeMeta `json:",inline"`
                \tmetav1.ObjectMeta `json:"metadata,omitempty" protobuf:"bytes,1,opt,name=metadata"`
                }
                """);
        Files.writeString(apps.resolve("generated.pb.go"), "type DeploymentSpec struct {\n}\n");
        Path core = Files.createDirectories(root.resolve("k8s.io/api/core/v1"));
        Files.writeString(core.resolve("types.go"), """
                package v1

                type Volume struct {
                \tName string `json:"name" protobuf:"bytes,1,opt,name=name"`
                \tVolumeSource `json:",inline" protobuf:"bytes,2,opt,name=volumeSource"`
                }
                """);
        Path authentication = Files.createDirectories(root.resolve("k8s.io/api/authentication/v1"));
        Files.writeString(authentication.resolve("types.go"), "type ExtraValue []string\n");
        Path output = root.resolve("tags.txt");

        GoJsonTagsGenerator.main(new String[] {root.toString(), output.toString(), "test"});

        List<String> lines = Files.readAllLines(output).stream().filter(l -> !l.startsWith("#")).sorted().toList();
        assertEquals(List.of(
                "@packages k8s.io.api.apps.v1 k8s.io.api.authentication.v1 k8s.io.api.core.v1",
                "k8s.io.api.apps.v1.DeploymentSpec replicas:pointer selector:pointer paused:always,json=pausedRenamed",
                "k8s.io.api.apps.v1.DeploymentStrategy type:go=v1.DeploymentStrategyType",
                "k8s.io.api.authentication.v1.ExtraValue @array",
                "k8s.io.api.core.v1.Volume name:always volumeSource:inline=k8s.io.api.core.v1.VolumeSource"),
                lines.stream().map(l -> l.startsWith("@packages") ? sortedPackages(l) : l).toList());
    }
}
