package kubefake.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lookup order of kubectl binaries, with small shell scripts standing in for kubectl: each prints what
 * {@code kubectl version --client -o json} prints (or fails), and the lookup really runs them.
 */
class KubectlLookupTest {

    @TempDir
    Path dir;

    /** A stand-in kubectl that reports this gitVersion, or fails when it is null. */
    private Path kubectl(String relative, String gitVersion) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        String body = gitVersion == null ? "exit 1"
                : "[ \"$1 $2 $3 $4\" = 'version --client -o json' ] || exit 2\n"
                        + "echo '{\"clientVersion\":{\"major\":\"1\",\"gitVersion\":\"" + gitVersion + "\"}}'";
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private static KubectlLookup lookup(String listed, Path... pathDirectories) {
        String path = String.join(":", java.util.Arrays.stream(pathDirectories).map(Path::toString).toList());
        return new KubectlLookup(listed, path, KubectlBinaries::reportedVersion);
    }

    private static Optional<Path> binary(KubectlLookup lookup, String version) {
        return lookup.find(version).map(KubectlLookup.Found::binary);
    }

    @Test
    void theListedBinariesComeFirstEachOfTheVersionItReportsElseOfItsName() throws IOException {
        Path reports130 = kubectl("opt/a/kubectl", "v1.30.2");
        Path fails = kubectl("opt/b/kubectl.1.28", null);
        Path reports129 = kubectl("opt/c/kubectl-custom", "v1.29.15");
        Path onPath = kubectl("bin/kubectl.1.30", "v1.30.9");
        KubectlLookup lookup = lookup(reports130 + ":" + fails + "," + reports129, onPath.getParent());

        assertEquals(Optional.of(reports130), binary(lookup, "1.30"));
        assertEquals("KUBEFAKE_KUBECTL", lookup.find("1.30").orElseThrow().how());
        assertEquals(Optional.of(fails), binary(lookup, "1.28"));
        assertEquals(Optional.of(reports129), binary(lookup, "1.29"));
    }

    @Test
    void aListedDirectoryStandsForTheKubectlsInIt() throws IOException {
        Path k127 = kubectl("opt/kubectls/kubectl.1.27", "v1.27.16");
        kubectl("opt/kubectls/not-kubectl", "v1.33.0");
        KubectlLookup lookup = lookup(k127.getParent().toString());
        assertEquals(Optional.of(k127), binary(lookup, "1.27"));
        assertEquals(Optional.empty(), binary(lookup, "1.33"));
    }

    @Test
    void thenVersionedNamesOnThePathInPathOrder() throws IOException {
        Path first = kubectl("first/kubectl.1.31", "v1.31.0");
        kubectl("second/kubectl.1.31", "v1.31.0");
        Path other = kubectl("second/kubectl.1.32", "v1.32.0");
        KubectlLookup lookup = lookup(null, dir.resolve("missing"), first.getParent(), other.getParent());
        assertEquals(Optional.of(first), binary(lookup, "1.31"));
        assertEquals(Optional.of(other), binary(lookup, "1.32"));
        assertEquals("kubectl.1.32 on the PATH", lookup.find("1.32").orElseThrow().how());
    }

    @Test
    void thenBesideTheRealFileOfTheKubectlOnThePathAsInTheGcloudSdk() throws IOException {
        Path dispatcher = kubectl("sdk/bin/kubectl", "v1.32.4-dispatcher");
        Path k127 = kubectl("sdk/bin/kubectl.1.27", "v1.27.16");
        Path usrBin = Files.createDirectories(dir.resolve("usr/bin"));
        Files.createSymbolicLink(usrBin.resolve("kubectl"), dispatcher);
        KubectlLookup lookup = lookup(null, usrBin);

        assertEquals(Optional.of(k127.toRealPath()), binary(lookup, "1.27"));
        assertEquals("beside the kubectl on the PATH", lookup.find("1.27").orElseThrow().how());
        // the dispatcher reports 1.32 but runs whichever version matches the server: it is not kubectl 1.32
        assertEquals(Optional.empty(), binary(lookup, "1.32"));
        assertEquals("KUBEFAKE_KUBECTL (not set), kubectl.1.32 on the PATH, kubectl.1.32 beside " + dispatcher.toRealPath()
                + ", the kubectl on the PATH (" + usrBin.resolve("kubectl")
                + " reports no single version and has none in its name)", lookup.whereLooked("1.32"));
    }

    @Test
    void lastThePlainKubectlOnThePathOfTheVersionItReports() throws IOException {
        Path plain = kubectl("bin/kubectl", "v1.33.1");
        KubectlLookup lookup = lookup(null, plain.getParent());
        assertEquals(Optional.of(plain), binary(lookup, "1.33"));
        assertEquals(Optional.empty(), binary(lookup, "1.29"));
        assertTrue(lookup.whereLooked("1.29").endsWith("the kubectl on the PATH (" + plain + " reports 1.33)"),
                lookup.whereLooked("1.29"));
    }

    @Test
    void withNoKubectlAnywhereItSaysWhereItLooked() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("bin"));
        KubectlLookup lookup = lookup(null, empty);
        assertEquals(Optional.empty(), lookup.find("1.29"));
        assertEquals("KUBEFAKE_KUBECTL (not set), kubectl.1.29 on the PATH, beside a kubectl on the PATH (there is none)",
                lookup.whereLooked("1.29"));

        KubectlLookup listedNothing = lookup(dir.resolve("nope") + "," + empty, empty);
        assertTrue(listedNothing.whereLooked("1.29").startsWith("KUBEFAKE_KUBECTL (no executable in "),
                listedNothing.whereLooked("1.29"));
    }
}
