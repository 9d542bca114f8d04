package kubefake.certs;

/** The extended key usage of a leaf certificate: what the key may authenticate as. */
enum KeyPurpose {
    SERVER_AUTH("1.3.6.1.5.5.7.3.1"),
    CLIENT_AUTH("1.3.6.1.5.5.7.3.2");

    /** The dotted object identifier, as {@link java.security.cert.X509Certificate#getExtendedKeyUsage()} lists it. */
    final String oid;

    KeyPurpose(String oid) {
        this.oid = oid;
    }
}
