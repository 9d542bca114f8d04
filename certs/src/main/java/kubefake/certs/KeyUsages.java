package kubefake.certs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * The usages a CertificateSigningRequest names ({@code spec.usages}) as X.509 key usage bits and extended key usage
 * object identifiers (the signer's keyUsagesFromStrings).
 */
final class KeyUsages {
    private static final Map<String, Integer> KEY_USAGES = Map.ofEntries(
            Map.entry("signing", KeyUsage.digitalSignature), Map.entry("digital signature", KeyUsage.digitalSignature),
            Map.entry("content commitment", KeyUsage.nonRepudiation), Map.entry("key encipherment", KeyUsage.keyEncipherment),
            Map.entry("key agreement", KeyUsage.keyAgreement), Map.entry("data encipherment", KeyUsage.dataEncipherment),
            Map.entry("cert sign", KeyUsage.keyCertSign), Map.entry("crl sign", KeyUsage.cRLSign),
            Map.entry("encipher only", KeyUsage.encipherOnly), Map.entry("decipher only", KeyUsage.decipherOnly));
    private static final Map<String, String> EXTENDED = Map.ofEntries(
            Map.entry("any", "2.5.29.37.0"), Map.entry("server auth", "1.3.6.1.5.5.7.3.1"),
            Map.entry("client auth", "1.3.6.1.5.5.7.3.2"), Map.entry("code signing", "1.3.6.1.5.5.7.3.3"),
            Map.entry("email protection", "1.3.6.1.5.5.7.3.4"), Map.entry("s/mime", "1.3.6.1.5.5.7.3.4"),
            Map.entry("ipsec end system", "1.3.6.1.5.5.7.3.5"), Map.entry("ipsec tunnel", "1.3.6.1.5.5.7.3.6"),
            Map.entry("ipsec user", "1.3.6.1.5.5.7.3.7"), Map.entry("timestamping", "1.3.6.1.5.5.7.3.8"),
            Map.entry("ocsp signing", "1.3.6.1.5.5.7.3.9"), Map.entry("microsoft sgc", "1.3.6.1.4.1.311.10.3.3"),
            Map.entry("netscape sgc", "2.16.840.1.113730.4.1"));

    private KeyUsages() {
    }

    static int keyUsageBits(List<String> usages) {
        int bits = 0;
        for (String u : usages) bits |= KEY_USAGES.getOrDefault(u, 0);
        return bits;
    }

    /** The extended key usages' identifiers, each once, in request order. */
    static List<String> extendedOids(List<String> usages) {
        List<String> oids = new ArrayList<>();
        for (String u : usages) {
            String oid = EXTENDED.get(u);
            if (oid != null && !oids.contains(oid)) oids.add(oid);
        }
        return oids;
    }
}
