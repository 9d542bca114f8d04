package kubefake.certs;

import org.bouncycastle.asn1.x509.KeyPurposeId;

/** The extended key usage of a leaf certificate: what the key may authenticate as. */
enum KeyPurpose {
    SERVER_AUTH(KeyPurposeId.id_kp_serverAuth),
    CLIENT_AUTH(KeyPurposeId.id_kp_clientAuth);

    final KeyPurposeId id;

    KeyPurpose(KeyPurposeId id) {
        this.id = id;
    }
}
