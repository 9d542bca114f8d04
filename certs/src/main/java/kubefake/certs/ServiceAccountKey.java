package kubefake.certs;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.util.Base64;

/**
 * The cluster's service account key ({@code sa.key}/{@code sa.pub}) as the token issuers use it: signs JWTs (ES256
 * for kubeadm's ECDSA key, RS256 for an RSA one) with the key id kube-apiserver derives from the public key, and
 * checks the signature of a presented token. Shared by the API server's TokenRequest and the controller manager's
 * legacy token Secrets, which sign with the same key as in a real cluster.
 */
public final class ServiceAccountKey {
    private final JWSSigner signer;
    private final JWSVerifier verifier;
    private final JWSAlgorithm algorithm;
    private final String keyId;

    public ServiceAccountKey(KeyPair key) {
        try {
            if (key.getPrivate() instanceof ECPrivateKey ec) {
                signer = new ECDSASigner(ec);
                verifier = new ECDSAVerifier((ECPublicKey) key.getPublic());
                algorithm = JWSAlgorithm.ES256;
            } else {
                signer = new RSASSASigner((RSAPrivateKey) key.getPrivate());
                verifier = new RSASSAVerifier((RSAPublicKey) key.getPublic());
                algorithm = JWSAlgorithm.RS256;
            }
        } catch (JOSEException e) {
            throw new IllegalStateException("unusable service account key", e);
        }
        this.keyId = keyId(key);
    }

    /** keyIDFromPublicKey: the unpadded base64url SHA-256 of the public key's DER. */
    private static String keyId(KeyPair key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getPublic().getEncoded());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The claims signed, as the compact JWT a client sends as its bearer token. */
    public String sign(JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(keyId).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("failed to sign the token: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    /** The claims of a token this key signed; null for anything else (not a JWT, another key, a bad signature). */
    public JWTClaimsSet verified(String token) {
        if (!token.startsWith("eyJ") || token.chars().filter(c -> c == '.').count() != 2) return null;
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            return jwt.verify(verifier) ? jwt.getJWTClaimsSet() : null;
        } catch (ParseException | JOSEException | RuntimeException e) {
            return null;
        }
    }
}
