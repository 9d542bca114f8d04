package kubefake.certs;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A client certificate and its private key, as a kubeconfig user carries them: Kubernetes reads the
 * user name from the CN and the groups from the O values.
 */
public record ClientCertificate(X509Certificate certificate, PrivateKey privateKey) {

    public ClientCertificate {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
    }

    /**
     * Parses a certificate and its private key (e.g. a kubeconfig's {@code client-certificate-data} and
     * {@code client-key-data}).
     *
     * @throws IllegalArgumentException when either is not valid PEM or the key does not belong to the certificate
     */
    public static ClientCertificate fromPem(byte[] certificatePem, byte[] privateKeyPem) {
        X509Certificate certificate;
        KeyPair keys;
        try {
            certificate = Pem.parseCertificates(certificatePem).get(0);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("not a valid PEM certificate: " + e.getMessage(), e);
        }
        try {
            keys = Pem.parsePrivateKey(privateKeyPem);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("not a valid PEM private key: " + e.getMessage(), e);
        }
        if (!Keys.belongTogether(keys, certificate.getPublicKey())) {
            throw new IllegalArgumentException("the private key does not belong to the certificate "
                    + certificate.getSubjectX500Principal().getName());
        }
        return new ClientCertificate(certificate, keys.getPrivate());
    }

    /** The user name Kubernetes sees (the subject's CN). */
    public String commonName() {
        return SubjectNames.commonName(certificate);
    }

    /** The groups Kubernetes sees (the subject's O values, in order). */
    public List<String> organizations() {
        return SubjectNames.organizations(certificate);
    }

    /** PEM {@code CERTIFICATE}, the bytes of a kubeconfig's {@code client-certificate-data}. */
    public byte[] certificatePem() {
        return Pem.certificate(certificate);
    }

    /** PEM private key ({@code EC PRIVATE KEY} for kubefake's keys), the bytes of {@code client-key-data}. */
    public byte[] privateKeyPem() {
        return Pem.privateKey(privateKey, certificate.getPublicKey());
    }

    /**
     * A PKCS #12 key store holding this key under alias {@code client}, its chain being this
     * certificate followed by {@code issuers} (e.g. the cluster CA): ready for a {@code KeyManagerFactory}.
     */
    public KeyStore keyStore(char[] password, X509Certificate... issuers) {
        Certificate[] chain = new Certificate[issuers.length + 1];
        chain[0] = certificate;
        System.arraycopy(issuers, 0, chain, 1, issuers.length);
        return KeyStores.withKey("client", privateKey, password, chain);
    }
}
