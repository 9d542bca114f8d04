package kubefake.certs;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Reads and builds certificate subjects the way Kubernetes interprets them: the user is the
 * common name (the last CN, as Go's crypto/x509 keeps it), the groups are every O value in order.
 */
final class SubjectNames {
    private SubjectNames() {
    }

    /** One RDN per value, O values first and CN last (openssl shows {@code O = kubeadm:cluster-admins, CN = kubernetes-admin}). */
    static X500Name build(String commonName, List<String> organizations) {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        organizations.forEach(o -> builder.addRDN(BCStyle.O, o));
        builder.addRDN(BCStyle.CN, commonName);
        return builder.build();
    }

    static X500Name subject(X509Certificate certificate) {
        return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    }

    static String commonName(X509Certificate certificate) {
        List<String> names = values(certificate, BCStyle.CN);
        return names.isEmpty() ? "" : names.get(names.size() - 1);
    }

    static List<String> organizations(X509Certificate certificate) {
        return values(certificate, BCStyle.O);
    }

    private static List<String> values(X509Certificate certificate, ASN1ObjectIdentifier type) {
        List<String> values = new ArrayList<>();
        for (RDN rdn : subject(certificate).getRDNs()) {
            for (AttributeTypeAndValue attribute : rdn.getTypesAndValues()) {
                if (attribute.getType().equals(type)) {
                    values.add(attribute.getValue() instanceof ASN1String s ? s.getString() : attribute.getValue().toString());
                }
            }
        }
        return List.copyOf(values);
    }
}
