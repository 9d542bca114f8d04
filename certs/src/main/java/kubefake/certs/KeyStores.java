package kubefake.certs;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/** In-memory PKCS #12 key stores for the JDK's key and trust manager factories. */
final class KeyStores {
    private KeyStores() {
    }

    static KeyStore withKey(String alias, PrivateKey key, char[] password, Certificate... chain) {
        try {
            KeyStore store = empty();
            store.setKeyEntry(alias, key, password, chain);
            return store;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot put key " + alias + " in a key store", e);
        }
    }

    static KeyStore trusting(String alias, X509Certificate certificate) {
        try {
            KeyStore store = empty();
            store.setCertificateEntry(alias, certificate);
            return store;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot put certificate " + alias + " in a key store", e);
        }
    }

    private static KeyStore empty() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e); // loading nothing reads nothing
        }
        return store;
    }
}
