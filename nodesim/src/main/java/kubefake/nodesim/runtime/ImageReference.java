package kubefake.nodesim.runtime;

import java.util.regex.Pattern;

/**
 * An image reference as containerd normalizes it (Docker's reference grammar): {@code nginx} is
 * {@code docker.io/library/nginx:latest}, {@code sysnet4admin/echo-hname} is
 * {@code docker.io/sysnet4admin/echo-hname:latest}, {@code registry.k8s.io/etcd:3.5.21-0} stays as written.
 *
 * @param written    the reference as the pod spec gives it
 * @param repository the normalized repository, without tag or digest ({@code docker.io/library/nginx})
 * @param tag        the tag ({@code latest} when neither a tag nor a digest is given), or "" with a digest only
 * @param digest     {@code sha256:...} when the reference pins one, else ""
 */
public record ImageReference(String written, String repository, String tag, String digest) {
    public static final String DOCKER_HUB = "docker.io";

    // compiled once: every container of every pod (and each node's preloaded images at start) is parsed
    private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern PATH = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");

    /** Parses a reference; IllegalArgumentException when it is not one (an empty string, upper case, spaces). */
    public static ImageReference parse(String written) {
        if (written == null || written.isEmpty()) throw new IllegalArgumentException("empty image reference");
        String rest = written;
        String digest = "";
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw new IllegalArgumentException("invalid reference format: " + written);
            }
        }
        String tag = "";
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) throw new IllegalArgumentException("invalid reference format: " + written);
        }
        String domain;
        String path;
        int slash = rest.indexOf('/');
        String first = slash < 0 ? "" : rest.substring(0, slash);
        if (slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"))) {
            domain = first.equals("index.docker.io") ? DOCKER_HUB : first;
            path = rest.substring(slash + 1);
        } else {
            domain = DOCKER_HUB;
            path = rest;
        }
        if (domain.equals(DOCKER_HUB) && !path.contains("/")) path = "library/" + path;
        if (!PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("invalid reference format: " + written);
        }
        if (tag.isEmpty() && digest.isEmpty()) tag = "latest";
        return new ImageReference(written, domain + "/" + path, tag, digest);
    }

    /** The registry part ({@code docker.io}, {@code registry.k8s.io}). */
    public String domain() {
        return repository.substring(0, repository.indexOf('/'));
    }

    /** The repository's last path component ({@code nginx}, {@code echo-hname}). */
    public String shortName() {
        return repository.substring(repository.lastIndexOf('/') + 1);
    }

    /** What containerd reports as the container's image: the normalized name with its tag (or digest). */
    public String normalized() {
        return tag.isEmpty() ? repository + "@" + digest : repository + ":" + tag;
    }

    /** The reference with a digest ({@code docker.io/library/nginx@sha256:...}): the imageID a container reports. */
    public String withDigest(String imageDigest) {
        return repository + "@" + imageDigest;
    }

    /** The reference the kubelet pulls: the written one with {@code :latest} added when it has no tag or digest. */
    public String withDefaultTag() {
        return tag.equals("latest") && !written.endsWith(":latest") && digest.isEmpty() ? written + ":latest" : written;
    }
}
