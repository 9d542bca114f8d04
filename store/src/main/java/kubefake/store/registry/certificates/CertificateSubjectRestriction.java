package kubefake.store.registry.certificates;

import kubefake.certs.CertificateRequest;
import kubefake.store.registry.admission.AdmissionAttributes;
import kubefake.store.registry.admission.ValidatingPlugin;
import kubefake.store.registry.request.Operation;

/**
 * The CertificateSubjectRestriction admission plugin: nobody may ask the {@code kubernetes.io/kube-apiserver-client}
 * signer for a certificate in the {@code system:masters} group (which every authorizer lets do anything).
 */
public final class CertificateSubjectRestriction implements ValidatingPlugin {
    @Override
    public String name() {
        return "CertificateSubjectRestriction";
    }

    @Override
    public void validate(AdmissionAttributes a) {
        if (!a.isResource(CertificateSigningRequestStrategy.GROUP, "certificatesigningrequests") || !a.subresource().isEmpty()
                || a.operation() != Operation.CREATE || a.object() == null) {
            return;
        }
        String signer = a.object().path("spec").path("signerName").asText("");
        if (!signer.equals("kubernetes.io/kube-apiserver-client")) return;
        try {
            CertificateRequest request = CertificateRequest.parse(CsrValidation.requestBytes(a.object().path("spec").path("request")));
            if (request.organizations().contains("system:masters")) {
                throw a.forbidden("use of " + signer + " signer with system:masters group is not allowed");
            }
        } catch (CertificateRequest.InvalidRequestException e) {
            // validation has refused it already
        }
    }
}
