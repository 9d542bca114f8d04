package kubefake.nodesim.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of the images' own distributions that a container starts with (what {@code cat /etc/os-release},
 * {@code cat /etc/passwd}, {@code ls /etc} and {@code cat /etc/nginx/nginx.conf} show), read once from the data files
 * under {@code kubefake/nodesim/image-files/} (their {@code index} names them) and shared by every container: a write
 * in a container replaces its entry, never these bytes.
 */
final class ImageFiles {
    /** A file's content, or null for an empty directory, by flavour then absolute path. */
    private static final Map<String, Map<String, byte[]>> FLAVOURS = load();

    private ImageFiles() {
    }

    /** Puts a flavour's files ({@code debian}, {@code busybox}, {@code nginx}) into a container's file system. */
    static void install(String flavour, ContainerFiles files, java.time.Instant at) {
        FLAVOURS.getOrDefault(flavour, Map.of()).forEach((path, content) -> {
            if (content == null) files.mkdirs(path, at);
            else files.writeFile(path, content, 0644, at);
        });
    }

    private static Map<String, Map<String, byte[]>> load() {
        Map<String, Map<String, byte[]>> out = new LinkedHashMap<>();
        for (String line : resource("index").split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            List<String> words = new ArrayList<>(List.of(line.trim().split("\\s+")));
            String flavour = words.remove(0);
            Map<String, byte[]> files = out.computeIfAbsent(flavour, f -> new LinkedHashMap<>());
            if (words.get(0).equals("dir")) files.put("/" + words.get(1), null);
            else files.put("/" + words.get(0), bytes(flavour + "/" + words.get(0)));
        }
        return out;
    }

    private static String resource(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String name) {
        try (InputStream in = ImageFiles.class.getResourceAsStream("/kubefake/nodesim/image-files/" + name)) {
            if (in == null) throw new IllegalStateException("missing image file " + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
