package kubefake.certs;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads certificate subjects the way Kubernetes interprets them: the user is the common name (the
 * last CN, as Go's crypto/x509 keeps it), the groups are every O value in encoding order.
 */
final class SubjectNames {
    private SubjectNames() {
    }

    static String commonName(X509Certificate certificate) {
        List<String> names = values(certificate, Der.OID_COMMON_NAME);
        return names.isEmpty() ? "" : names.get(names.size() - 1);
    }

    static List<String> organizations(X509Certificate certificate) {
        return values(certificate, Der.OID_ORGANIZATION);
    }

    /** {@code O=a, O=b, CN=c}, in encoding order, as openssl prints a subject. */
    static String describe(String commonName, List<String> organizations) {
        StringBuilder text = new StringBuilder();
        organizations.forEach(o -> text.append("O=").append(o).append(", "));
        return text.append("CN=").append(commonName).toString();
    }

    /** Name ::= SEQUENCE OF RDN; RDN ::= SET OF SEQUENCE { type OID, value ANY }. */
    private static List<String> values(X509Certificate certificate, byte[] type) {
        List<String> values = new ArrayList<>();
        for (Der.Element rdn : Der.read(certificate.getSubjectX500Principal().getEncoded()).children()) {
            for (Der.Element attribute : rdn.children()) {
                if (Arrays.equals(attribute.child(0).encoded(), type)) {
                    values.add(string(attribute.child(1)));
                }
            }
        }
        return List.copyOf(values);
    }

    private static String string(Der.Element value) {
        Charset charset = switch (value.tag()) {
            case 0x0C -> StandardCharsets.UTF_8;        // UTF8String
            case 0x1E -> StandardCharsets.UTF_16BE;     // BMPString
            case 0x1C -> Charset.forName("UTF-32BE");   // UniversalString
            default -> StandardCharsets.ISO_8859_1;     // PrintableString, IA5String, T61String
        };
        return new String(value.value(), charset);
    }
}
