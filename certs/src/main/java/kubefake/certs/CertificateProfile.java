package kubefake.certs;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * What a leaf certificate says: subject (O values, then CN, as kubeadm encodes them), purpose,
 * subject alternative names and lifetime.
 */
record CertificateProfile(String commonName, List<String> organizations, KeyPurpose purpose,
                          List<String> dnsNames, List<InetAddress> ipAddresses, Duration validity) {

    /** kubeadm's lifetime of every leaf certificate. */
    static final Duration ONE_YEAR = Duration.ofDays(365);

    CertificateProfile {
        organizations = List.copyOf(organizations);
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
    }

    static CertificateProfile client(String commonName, List<String> organizations, Duration validity) {
        return new CertificateProfile(commonName, organizations, KeyPurpose.CLIENT_AUTH, List.of(), List.of(), validity);
    }

    static CertificateProfile server(String commonName, List<String> dnsNames, List<InetAddress> ips) {
        return new CertificateProfile(commonName, List.of(), KeyPurpose.SERVER_AUTH, dnsNames, ips, ONE_YEAR);
    }
}
