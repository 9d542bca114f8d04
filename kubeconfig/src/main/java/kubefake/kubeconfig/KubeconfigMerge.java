package kubefake.kubeconfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.certs.PkiFiles;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * Puts a cluster's entries into the user's kubeconfig and takes them out again, as kind does with its
 * {@code kind-NAME} entries: the file is the one kubectl itself writes to (client-go's
 * {@code PathOptions.GetDefaultFilename}); a cluster, user and context of the same name are replaced, others are
 * appended; everything else in the file (other entries, exec users, extensions, preferences) is kept as it was. The
 * file is locked while it is changed ({@code FILE.lock}) and written atomically with mode 0600.
 */
public final class KubeconfigMerge {
    private KubeconfigMerge() {
    }

    /**
     * The file kubectl writes to: with {@code $KUBECONFIG} set, the first of its files that exists, else the last one;
     * without it, {@code ~/.kube/config}.
     */
    public static Path target(String kubeconfigEnv, Path home) {
        if (kubeconfigEnv != null && !kubeconfigEnv.isEmpty()) {
            String last = null;
            for (String p : kubeconfigEnv.split(File.pathSeparator)) {
                if (p.isEmpty()) continue;
                if (Files.exists(Path.of(p))) return Path.of(p);
                last = p;
            }
            if (last != null) return Path.of(last);
        }
        return home.resolve(".kube").resolve("config");
    }

    /**
     * Adds or replaces the cluster, user and context named {@code name} (from {@code config}'s first of each) and makes
     * the context current.
     */
    public static void merge(Path file, String name, Kubeconfig config) {
        Kubeconfig renamed = new Kubeconfig(
                java.util.List.of(new Kubeconfig.NamedCluster(name, config.clusters().get(0).cluster())),
                java.util.List.of(new Kubeconfig.NamedContext(name, new Kubeconfig.Context(name, name, config.contexts().get(0).context().namespace()))),
                name, java.util.List.of(new Kubeconfig.NamedUser(name, config.users().get(0).user())));
        ObjectNode entries = KubeconfigYaml.toTree(renamed);
        change(file, root -> {
            for (String list : new String[] {"clusters", "users", "contexts"}) {
                ArrayNode existing = array(root, list);
                JsonNode entry = entries.path(list).get(0);
                int at = indexOf(existing, name);
                if (at >= 0) existing.set(at, entry);
                else existing.add(entry);
            }
            root.put("current-context", name);
        });
    }

    /** Removes the cluster, user and context named {@code name}; the current context is unset if it was that one. */
    public static void remove(Path file, String name) {
        if (!Files.exists(file)) return;
        change(file, root -> {
            for (String list : new String[] {"clusters", "users", "contexts"}) {
                JsonNode existing = root.get(list);
                if (existing instanceof ArrayNode a) {
                    for (Iterator<JsonNode> it = a.elements(); it.hasNext(); ) {
                        if (name.equals(it.next().path("name").asText(null))) it.remove();
                    }
                }
            }
            if (name.equals(root.path("current-context").asText())) root.put("current-context", "");
        });
    }

    private static int indexOf(ArrayNode entries, String name) {
        for (int i = 0; i < entries.size(); i++) {
            if (name.equals(entries.get(i).path("name").asText(null))) return i;
        }
        return -1;
    }

    private static ArrayNode array(ObjectNode root, String field) {
        JsonNode n = root.get(field);
        if (n instanceof ArrayNode a) return a;
        if (n != null && !n.isNull()) throw new IllegalArgumentException(field + " must be a list");
        return root.putArray(field);
    }

    private static void change(Path file, Consumer<ObjectNode> change) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path lock = parent.resolve(file.getFileName() + ".lock");
            try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                ObjectNode root = read(file);
                change.accept(root);
                PkiFiles.writeAtomically(file, KubeconfigYaml.write(root).getBytes(StandardCharsets.UTF_8), PkiFiles.SECRET);
            } finally {
                Files.deleteIfExists(lock);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update " + file, e);
        }
    }

    /** The file's tree, or an empty kubeconfig's when it does not exist or is empty. */
    private static ObjectNode read(Path file) throws IOException {
        JsonNode root = Files.exists(file) ? KubeconfigYaml.tree(Files.readString(file)) : null;
        if (root == null || root.isNull() || root.isMissingNode()) {
            ObjectNode empty = JsonNodeFactory.instance.objectNode();
            empty.put("apiVersion", "v1");
            empty.putArray("clusters");
            empty.putArray("contexts");
            empty.put("current-context", "");
            empty.put("kind", "Config");
            empty.putObject("preferences");
            empty.putArray("users");
            return empty;
        }
        if (!(root instanceof ObjectNode o)) throw new IllegalArgumentException(file + " is not a kubeconfig (not a mapping)");
        return o;
    }
}
