package kubefake.store.etcd;

import io.etcd.jetcd.ByteSequence;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * Where the store's keys live in etcd. The registry names its keys {@code /registry/[group/]resource/[namespace/]name};
 * in etcd they are laid out as kube-apiserver lays them out under its {@code --etcd-prefix} (default
 * {@code /registry}): built-in resources under their bare resource name ({@code /registry/deployments/NS/NAME}), a few
 * under the historical names compiled into Kubernetes ({@code minions}, {@code services/specs},
 * {@code services/endpoints}, {@code controllers}, {@code ingress}), and resources of other groups under
 * {@code group/resource}. Without the layout (a store root other than {@code /registry}), a key is the prefix followed by
 * the key's part after the root.
 *
 * <p>Each read maps keys back with the {@link Base} of the key or prefix it asked for, so no reverse table is needed.
 */
final class EtcdKeys {
    /** kube-apiserver's SpecialDefaultResourcePrefixes (pkg/kubeapiserver/default_storage_factory_builder.go). */
    private static final Map<String, String> SPECIAL_PREFIXES = Map.of(
            "/replicationcontrollers", "controllers",
            "/endpoints", "services/endpoints",
            "/nodes", "minions",
            "/services", "services/specs",
            "extensions/ingresses", "ingress",
            "networking.k8s.io/ingresses", "ingress");
    /** Groups kube-apiserver serves itself, whose resources are stored under the bare resource name. */
    private static final Set<String> BUILT_IN_GROUPS = Set.of("", "apps", "batch", "autoscaling", "policy", "extensions",
            "networking.k8s.io", "rbac.authorization.k8s.io", "storage.k8s.io", "coordination.k8s.io",
            "discovery.k8s.io", "events.k8s.io", "scheduling.k8s.io", "node.k8s.io", "certificates.k8s.io",
            "admissionregistration.k8s.io", "flowcontrol.apiserver.k8s.io", "internal.apiserver.k8s.io",
            "resource.k8s.io", "storagemigration.k8s.io");
    /** Groups without a dot in the registry's keys (a first segment that is none of these and has no dot is a core resource). */
    private static final Set<String> UNDOTTED_GROUPS = Set.of("apps", "batch", "autoscaling", "policy", "extensions");

    /**
     * One resource's key space on both sides: the store key {@code internal + rest} is the etcd key {@code etcd + rest}.
     */
    record Base(String internal, String etcd) {
        ByteSequence toEtcd(String key) {
            return ByteSequence.from(etcd + key.substring(internal.length()), StandardCharsets.UTF_8);
        }

        String fromEtcd(ByteSequence etcdKey) {
            byte[] bytes = etcdKey.getBytes();
            int skip = etcd.getBytes(StandardCharsets.UTF_8).length;
            return internal + new String(bytes, skip, bytes.length - skip, StandardCharsets.UTF_8);
        }
    }

    private final String root;
    private final String prefix;
    private final boolean kubernetesLayout;
    private final Base whole;

    /**
     * @param root   the root of the store's own key names: {@code /registry} for the registry (with Kubernetes' layout),
     *               anything else ("" in tests) for keys kept as they are after the root
     * @param prefix etcd's key prefix, e.g. "/registry"; a trailing '/' is dropped (as path.Join does)
     */
    EtcdKeys(String root, String prefix) {
        this.root = root;
        String p = prefix == null || prefix.isEmpty() ? "/registry" : prefix;
        while (p.length() > 1 && p.endsWith("/")) p = p.substring(0, p.length() - 1);
        if (!p.startsWith("/")) p = "/" + p;
        this.prefix = p.equals("/") ? "" : p;
        this.kubernetesLayout = root.equals("/registry");
        this.whole = new Base(root, this.prefix);
    }

    String prefix() {
        return prefix;
    }

    /** The key space {@code key} (a key, or a prefix of keys of one resource) belongs to. */
    Base base(String key) {
        if (!key.startsWith(root)) throw new IllegalArgumentException("not a key under " + root + ": " + key);
        if (!kubernetesLayout) return whole;
        // /registry/[group/]resource/...
        int start = root.length() + 1;
        int first = key.indexOf('/', start);
        if (key.length() < start || first < 0) return whole;
        String segment = key.substring(start, first);
        String group = "";
        String resource = segment;
        int end = first;
        if (segment.contains(".") || UNDOTTED_GROUPS.contains(segment)) {
            int second = key.indexOf('/', first + 1);
            if (second < 0) return whole;
            group = segment;
            resource = key.substring(first + 1, second);
            end = second;
        }
        String special = SPECIAL_PREFIXES.get(group + "/" + resource);
        String etcdName = special != null ? special : BUILT_IN_GROUPS.contains(group) ? resource : group + "/" + resource;
        return new Base(key.substring(0, end), prefix + "/" + etcdName);
    }

    ByteSequence toEtcd(String key) {
        return base(key).toEtcd(key);
    }

    /** The etcd key every key of the store is at or after. */
    ByteSequence first() {
        return ByteSequence.from(prefix + "/", StandardCharsets.UTF_8);
    }

    /** The etcd range end of everything under the prefix. */
    ByteSequence end() {
        return ByteSequence.from(prefixEnd((prefix + "/").getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The etcd range end for a store range end, in {@code base}'s key space: null (no bound) is the end of the prefix's
     * space; a {@code ReadView.prefixEnd(p)} (p followed by U+FFFF) is etcd's prefix end of p (its last byte plus one).
     */
    ByteSequence rangeEnd(Base base, String endKey) {
        if (endKey == null) return end();
        if (!endKey.isEmpty() && endKey.charAt(endKey.length() - 1) == Character.MAX_VALUE) {
            return ByteSequence.from(prefixEnd(base.toEtcd(endKey.substring(0, endKey.length() - 1)).getBytes()));
        }
        if (!endKey.startsWith(base.internal())) return end();
        return base.toEtcd(endKey);
    }

    /** The key space of a range from {@code fromKey}: a start below the root (e.g. "") is the whole space. */
    Base rangeBase(String fromKey) {
        return fromKey.compareTo(root + "/") < 0 ? whole : base(fromKey);
    }

    ByteSequence rangeStart(Base base, String fromKey) {
        return fromKey.compareTo(root + "/") < 0 ? first() : base.toEtcd(fromKey);
    }

    /** etcd's prefix end: the smallest key greater than every key starting with the bytes. */
    static byte[] prefixEnd(byte[] prefix) {
        byte[] end = Arrays.copyOf(prefix, prefix.length);
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return Arrays.copyOf(end, i + 1);
            }
        }
        return new byte[] {0}; // every byte 0xff: no upper bound
    }
}
