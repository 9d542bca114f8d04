package kubefake.nodesim.runtime;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The container runtime's knowledge of images (YAML: the shipped {@code images.yaml}, optionally extended by a
 * user's file whose entries come first): which images exist, their sizes and digests, and what their containers do.
 * A reference the entries do not name is decided by the {@code unknownImages} rules, tried in order; the shipped rules
 * are documented in {@code images.yaml} and the README.
 */
public final class ImageCatalogue {
    public static final String BUILT_IN = "/kubefake/nodesim/images.yaml";

    private final List<Entry> images;
    private final List<UnknownImageRule> unknownImages;
    private final String missingTagError;
    /**
     * Images resolved so far, by the reference as written: resolving is pure (the catalogue does not change), and a
     * cluster runs few distinct images over many containers (an Image with its parsed reference was ~330 bytes per
     * container, and a SHA-256 for a derived digest). Bounded: past it, a reference is resolved each time.
     */
    private final Map<String, Image> resolved = new ConcurrentHashMap<>();
    private static final int RESOLVED_MAX = 4096;

    /** A known repository. */
    record Entry(String repository, Pattern tags, Map<String, String> digests, long size, boolean shell,
                 boolean argsAreCommand, Behaviour run, Map<String, Behaviour> programs, boolean bash, List<String> cmd) {
        @JsonCreator
        static Entry fromYaml(@JsonProperty(value = "repository", required = true) String repository,
                              @JsonProperty("tags") String tags, @JsonProperty("digests") Map<String, String> digests,
                              @JsonProperty("size") Long size, @JsonProperty("shell") Boolean shell,
                              @JsonProperty("argsAreCommand") Boolean argsAreCommand, @JsonProperty("run") Behaviour run,
                              @JsonProperty("programs") Map<String, Behaviour> programs,
                              @JsonProperty("bash") Boolean bash, @JsonProperty("cmd") List<String> cmd) {
            Map<String, Behaviour> p = programs == null ? Map.of() : Map.copyOf(programs);
            return new Entry(ImageReference.parse(repository).repository(), tags == null ? null : Pattern.compile(tags),
                    digests == null ? Map.of() : Map.copyOf(digests), size == null ? DEFAULT_SIZE : size,
                    shell != null && shell, argsAreCommand != null && argsAreCommand, run == null ? Behaviour.FOREVER : run, p,
                    bash == null ? shell != null && shell : bash, cmd == null ? List.of() : List.copyOf(cmd));
        }
    }

    /** How references no entry names are decided: the first rule whose pattern matches the normalized reference. */
    record UnknownImageRule(Pattern match, boolean exists, String error, long size, boolean shell, Behaviour run) {
        @JsonCreator
        static UnknownImageRule fromYaml(@JsonProperty(value = "match", required = true) String match,
                                         @JsonProperty(value = "exists", required = true) boolean exists,
                                         @JsonProperty("error") String error, @JsonProperty("size") Long size,
                                         @JsonProperty("shell") Boolean shell, @JsonProperty("run") Behaviour run) {
            if (!exists && (error == null || error.isEmpty())) {
                throw new IllegalArgumentException("unknownImages rule " + match + ": a rule for images that do not exist needs an error");
            }
            return new UnknownImageRule(Pattern.compile(match), exists, error == null ? "" : error,
                    size == null ? DEFAULT_SIZE : size, shell == null || shell, run == null ? Behaviour.FOREVER : run);
        }
    }

    record File(String apiVersion, String kind, List<Entry> images, List<UnknownImageRule> unknownImages,
                String missingTagError) {
        @JsonCreator
        static File fromYaml(@JsonProperty("apiVersion") String apiVersion, @JsonProperty("kind") String kind,
                             @JsonProperty("images") List<Entry> images,
                             @JsonProperty("unknownImages") List<UnknownImageRule> unknownImages,
                             @JsonProperty("missingTagError") String missingTagError) {
            if (kind != null && !kind.equals("ImageCatalogue")) throw new IllegalArgumentException("kind is " + kind + ", not ImageCatalogue");
            return new File(apiVersion, kind, images == null ? List.of() : images,
                    unknownImages == null ? List.of() : unknownImages, missingTagError);
        }
    }

    /** The size an image gets when nothing says (50 MB, a small Debian-based image). */
    static final long DEFAULT_SIZE = 50_000_000L;

    private ImageCatalogue(List<Entry> images, List<UnknownImageRule> unknownImages, String missingTagError) {
        this.images = List.copyOf(images);
        this.unknownImages = List.copyOf(unknownImages);
        this.missingTagError = missingTagError;
    }

    /** The catalogue shipped with kubefake. */
    public static ImageCatalogue builtIn() {
        try (InputStream in = ImageCatalogue.class.getResourceAsStream(BUILT_IN)) {
            if (in == null) throw new IllegalStateException(BUILT_IN + " is missing from the classpath");
            File f = kubefake.nodesim.YamlFiles.read(in.readAllBytes(), File.class);
            return new ImageCatalogue(f.images(), f.unknownImages(), f.missingTagError() == null ? "" : f.missingTagError());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the built-in image catalogue", e);
        }
    }

    /** The built-in catalogue with a user's file in front of it: its images and rules are tried first. */
    public static ImageCatalogue withOverrides(Path file) throws IOException {
        return builtIn().extendedBy(kubefake.nodesim.YamlFiles.load(file, File.class));
    }

    /** This catalogue with another's entries and rules tried first. */
    ImageCatalogue extendedBy(File f) {
        List<Entry> entries = new ArrayList<>(f.images());
        entries.addAll(images);
        List<UnknownImageRule> rules = new ArrayList<>(f.unknownImages());
        rules.addAll(unknownImages);
        return new ImageCatalogue(entries, rules, f.missingTagError() != null ? f.missingTagError() : missingTagError);
    }

    /** Resolves a reference as written in a pod spec; an unparsable one is an image that cannot be pulled. */
    public Image resolve(String written) {
        Image known = resolved.get(written);
        if (known != null) return known;
        Image image = resolveWritten(written);
        if (resolved.size() < RESOLVED_MAX) resolved.putIfAbsent(written, image);
        return image;
    }

    private Image resolveWritten(String written) {
        ImageReference ref;
        try {
            ref = ImageReference.parse(written);
        } catch (IllegalArgumentException e) {
            ImageReference raw = new ImageReference(written, written, "", "");
            return new Image(raw, "couldn't parse image name \"" + written + "\": invalid reference format", 0, "", false, false,
                    Behaviour.FOREVER, Map.of(), false);
        }
        return resolve(ref);
    }

    public Image resolve(ImageReference ref) {
        for (Entry e : images) {
            if (!e.repository().equals(ref.repository())) continue;
            if (e.tags() != null && !ref.tag().isEmpty() && !e.tags().matcher(ref.tag()).matches()) {
                return new Image(ref, fill(missingTagError, ref), 0, "", false, false, Behaviour.FOREVER, Map.of(), false);
            }
            String digest = !ref.digest().isEmpty() ? ref.digest() : e.digests().getOrDefault(ref.tag(), derivedDigest(ref));
            return new Image(ref, "", e.size(), digest, e.shell(), e.argsAreCommand(), e.run(), e.programs(), e.bash(), e.cmd());
        }
        String normalized = ref.normalized();
        for (UnknownImageRule r : unknownImages) {
            if (!r.match().matcher(normalized).find()) continue;
            if (!r.exists()) return new Image(ref, fill(r.error(), ref), 0, "", false, false, Behaviour.FOREVER, Map.of(), false);
            String digest = ref.digest().isEmpty() ? derivedDigest(ref) : ref.digest();
            return new Image(ref, "", r.size(), digest, r.shell(), r.shell(), r.run(), Map.of(), r.shell());
        }
        return new Image(ref, "", DEFAULT_SIZE, ref.digest().isEmpty() ? derivedDigest(ref) : ref.digest(), true, true,
                Behaviour.FOREVER, Map.of(), false);
    }

    /** An error message with {@code {{reference}}} (normalized) and {@code {{image}}} (as written) filled in. */
    private static String fill(String template, ImageReference ref) {
        return template.replace("{{reference}}", ref.normalized()).replace("{{image}}", ref.written());
    }

    /** A stable digest for an image the catalogue gives none: the same reference gets the same digest every time. */
    static String derivedDigest(ImageReference ref) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(ref.normalized().getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
