package kubefake.nodesim.runtime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's name resolver as its C library runs it (glibc's and musl's agree here): {@code /etc/hosts} first
 * (localhost, the pod's own name, its hostAliases: the kubelet writes them), then the name servers of
 * {@code /etc/resolv.conf}; a name with fewer dots than {@code ndots} tries the search domains before itself, a name
 * ending in a dot only itself.
 */
public final class PodResolver {
    private final ContainerFiles files;
    private final ExecProcess.Network network;

    public PodResolver(ContainerFiles files, ExecProcess.Network network) {
        this.files = files;
        this.network = network;
    }

    public static boolean isAddress(String host) {
        return host.matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    /** The first IPv4 address of {@code name}, or null when it cannot be resolved. */
    public String resolve(String name) {
        if (isAddress(name)) return name;
        String fromHosts = hostsFile(name);
        if (fromHosts != null) return fromHosts;
        for (String candidate : candidates(name)) {
            List<String> answer = network.query(candidate);
            if (answer != null && !answer.isEmpty()) return answer.get(0);
        }
        return null;
    }

    /** The names the resolver asks the DNS for, in order. */
    List<String> candidates(String name) {
        if (name.endsWith(".")) return List.of(name.substring(0, name.length() - 1));
        List<String> out = new ArrayList<>();
        long dots = name.chars().filter(c -> c == '.').count();
        List<String> search = resolvConf("search");
        if (dots < ndots()) for (String s : search) out.add(name + "." + s);
        out.add(name);
        if (dots >= ndots()) for (String s : search) out.add(name + "." + s);
        return out;
    }

    /** The address /etc/hosts gives {@code name}, or null. */
    String hostsFile(String name) {
        for (String line : lines("/etc/hosts")) {
            String[] fields = line.replaceFirst("#.*", "").trim().split("\\s+");
            if (fields.length < 2 || !isAddress(fields[0])) continue;
            for (int i = 1; i < fields.length; i++) if (fields[i].equalsIgnoreCase(name)) return fields[0];
        }
        return null;
    }

    /** The words after {@code key} on resolv.conf's lines (search domains, name servers). */
    public List<String> resolvConf(String key) {
        List<String> out = new ArrayList<>();
        for (String line : lines("/etc/resolv.conf")) {
            String[] fields = line.trim().split("\\s+");
            if (fields[0].equals(key)) out.addAll(List.of(fields).subList(1, fields.length));
        }
        return out;
    }

    private int ndots() {
        for (String o : resolvConf("options")) if (o.startsWith("ndots:")) return Integer.parseInt(o.substring(6));
        return 1;
    }

    private List<String> lines(String path) {
        byte[] data = files.bytes(path);
        return data == null ? List.of() : List.of(new String(data, StandardCharsets.UTF_8).split("\n"));
    }
}
