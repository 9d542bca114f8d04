package kubefake.certs;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the cluster PKI must cover: the control-plane node's name and the addresses clients use to
 * reach the API server. Every name and address ends up as a SAN of {@code apiserver.crt}.
 *
 * @param nodeName         the control-plane node name (kubeadm uses the lower-cased hostname), e.g. {@code m-k8s}
 * @param advertiseAddress the address the API server advertises (kubeadm's {@code --apiserver-advertise-address})
 * @param extraIpSans      further addresses to put in the serving certificate (kubeadm's {@code certSANs})
 * @param extraDnsSans     further DNS names to put in the serving certificate
 */
public record PkiSpec(String nodeName, InetAddress advertiseAddress, List<InetAddress> extraIpSans,
                      List<String> extraDnsSans) {

    /** First address of kubeadm's default service CIDR 10.96.0.0/12: the ClusterIP of service {@code kubernetes}. */
    public static final InetAddress KUBERNETES_SERVICE_IP = literal(10, 96, 0, 1);
    public static final InetAddress LOOPBACK_IPV4 = literal(127, 0, 0, 1);

    /** The DNS names kubeadm always puts in front of the node name, in kubeadm's order. */
    static final List<String> STANDARD_DNS_NAMES = List.of("kubernetes", "kubernetes.default",
            "kubernetes.default.svc", "kubernetes.default.svc.cluster.local", "localhost");

    public PkiSpec {
        Objects.requireNonNull(nodeName, "nodeName");
        if (nodeName.isBlank()) {
            throw new IllegalArgumentException("nodeName must not be blank");
        }
        Objects.requireNonNull(advertiseAddress, "advertiseAddress");
        extraIpSans = List.copyOf(extraIpSans == null ? List.of() : extraIpSans);
        extraDnsSans = List.copyOf(extraDnsSans == null ? List.of() : extraDnsSans);
    }

    /**
     * A spec for a control plane running on this host: advertise the first non-loopback IPv4 address
     * (127.0.0.1 when there is none) and cover every IPv4 address of this host.
     */
    public static PkiSpec forThisHost(String nodeName) {
        return new PkiSpec(nodeName, firstNonLoopbackIpv4().orElse(LOOPBACK_IPV4), hostIpv4Addresses(), List.of());
    }

    /** DNS SANs of the API serving certificate, in kubeadm's order, without duplicates. */
    public List<String> servingDnsNames() {
        LinkedHashSet<String> names = new LinkedHashSet<>(STANDARD_DNS_NAMES);
        names.add(nodeName);
        names.addAll(extraDnsSans);
        return List.copyOf(names);
    }

    /** IP SANs of the API serving certificate, in kubeadm's order (service IP, advertise address, loopback), then the extras. */
    public List<InetAddress> servingIpAddresses() {
        LinkedHashSet<InetAddress> ips = new LinkedHashSet<>();
        ips.add(KUBERNETES_SERVICE_IP);
        ips.add(advertiseAddress);
        ips.add(LOOPBACK_IPV4);
        ips.addAll(extraIpSans);
        return List.copyOf(ips);
    }

    /** Every IPv4 address of this host's interfaces that are up, loopback (127.0.0.1) included, loopback first. */
    public static List<InetAddress> hostIpv4Addresses() {
        List<InetAddress> result = new ArrayList<>();
        result.add(LOOPBACK_IPV4);
        try {
            var interfaces = NetworkInterface.getNetworkInterfaces();
            while (interfaces != null && interfaces.hasMoreElements()) {
                NetworkInterface nic = interfaces.nextElement();
                if (!nic.isUp()) {
                    continue;
                }
                nic.inetAddresses()
                        .filter(Inet4Address.class::isInstance)
                        .filter(a -> !result.contains(a))
                        .forEach(result::add);
            }
        } catch (SocketException e) {
            // Interfaces cannot be listed (sandboxes): loopback alone is still a correct answer.
        }
        return List.copyOf(result);
    }

    /** The first non-loopback, non-link-local IPv4 address of this host (lowest interface index first). */
    public static Optional<InetAddress> firstNonLoopbackIpv4() {
        try {
            var interfaces = NetworkInterface.getNetworkInterfaces();
            if (interfaces == null) {
                return Optional.empty();
            }
            return java.util.Collections.list(interfaces).stream()
                    .filter(PkiSpec::isUp)
                    .sorted(Comparator.comparingInt(NetworkInterface::getIndex))
                    .flatMap(NetworkInterface::inetAddresses)
                    .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                    .findFirst();
        } catch (SocketException e) {
            return Optional.empty();
        }
    }

    private static boolean isUp(NetworkInterface nic) {
        try {
            return nic.isUp() && !nic.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }

    private static InetAddress literal(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // only thrown for a wrong array length
        }
    }
}
