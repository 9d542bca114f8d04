package kubefake.server.auth;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * x509 client-certificate authentication against the cluster CA: the subject's CN is the user name and each O a
 * group (kube-apiserver's --client-ca-file). The TLS layer accepts any certificate so that a wrong one still
 * completes the handshake; this is where it is judged.
 */
public final class ClientCertificateAuthenticator {
    private static final String CLIENT_AUTH_OID = "1.3.6.1.5.5.7.3.2";
    private final X509Certificate ca;

    public ClientCertificateAuthenticator(X509Certificate ca) {
        this.ca = ca;
    }

    /** The user of a verified chain; throws when the leaf is not signed by the CA, expired, or not for client auth. */
    public UserInfo authenticate(X509Certificate[] chain) throws AuthenticationFailedException {
        if (chain == null || chain.length == 0) throw new AuthenticationFailedException("no client certificate");
        X509Certificate leaf = chain[0];
        try {
            leaf.verify(ca.getPublicKey());
            leaf.checkValidity();
            List<String> eku = leaf.getExtendedKeyUsage();
            if (eku != null && !eku.contains(CLIENT_AUTH_OID)) {
                throw new AuthenticationFailedException("certificate is not for client authentication");
            }
        } catch (GeneralSecurityException e) {
            throw new AuthenticationFailedException("x509: certificate signed by unknown authority or invalid: " + e.getMessage());
        }
        String user = null;
        List<String> groups = new ArrayList<>();
        try {
            List<Rdn> rdns = new LdapName(leaf.getSubjectX500Principal().getName()).getRdns();
            for (Rdn rdn : rdns) {
                if (rdn.getType().equalsIgnoreCase("CN")) user = rdn.getValue().toString();
            }
            // LdapName lists RDNs from the last to the first; groups keep the certificate's order
            for (int i = rdns.size() - 1; i >= 0; i--) {
                if (rdns.get(i).getType().equalsIgnoreCase("O")) groups.add(rdns.get(i).getValue().toString());
            }
        } catch (InvalidNameException e) {
            throw new AuthenticationFailedException("unreadable certificate subject");
        }
        if (user == null || user.isEmpty()) throw new AuthenticationFailedException("certificate has no common name");
        groups.add("system:authenticated");
        return new UserInfo(user, "", List.copyOf(groups));
    }
}
