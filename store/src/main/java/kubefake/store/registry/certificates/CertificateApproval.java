package kubefake.store.registry.certificates;

import kubefake.store.registry.admission.AdmissionAttributes;
import kubefake.store.registry.admission.ValidatingPlugin;
import kubefake.store.registry.authorization.AuthorizationAttributes;
import kubefake.store.registry.authorization.Authorizer;
import kubefake.store.registry.request.UserInfo;

/**
 * The CertificateApproval admission plugin: a write of a CertificateSigningRequest's {@code approval} subresource
 * also needs {@code approve} on {@code signers} (certificates.k8s.io) named by the request's signer, or by its
 * domain with {@code /*} (certificates.IsAuthorizedForSignerName).
 */
public final class CertificateApproval implements ValidatingPlugin {
    private final Authorizer authorizer;

    public CertificateApproval(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    @Override
    public String name() {
        return "CertificateApproval";
    }

    @Override
    public void validate(AdmissionAttributes a) {
        if (!a.isResource(CertificateSigningRequestStrategy.GROUP, "certificatesigningrequests")
                || !a.subresource().equals("approval") || a.object() == null) {
            return;
        }
        String signer = a.object().path("spec").path("signerName").asText("");
        if (!mayActFor(authorizer, a.context().user(), "approve", signer)) {
            throw a.forbidden("user not permitted to approve requests with signerName \"" + signer + "\"");
        }
    }

    /** The signer's own name first, then its domain's wildcard. */
    static boolean mayActFor(Authorizer authorizer, UserInfo user, String verb, String signer) {
        if (allowed(authorizer, user, verb, signer)) return true;
        int slash = signer.indexOf('/');
        return slash > 0 && allowed(authorizer, user, verb, signer.substring(0, slash) + "/*");
    }

    private static boolean allowed(Authorizer authorizer, UserInfo user, String verb, String name) {
        return authorizer.authorize(AuthorizationAttributes.resource(user, verb, CertificateSigningRequestStrategy.GROUP,
                "signers", "", "", name)).allowed();
    }
}
