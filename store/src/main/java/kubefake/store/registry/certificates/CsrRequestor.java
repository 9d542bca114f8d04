package kubefake.store.registry.certificates;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.admission.AdmissionAttributes;
import kubefake.store.registry.admission.MutatingPlugin;
import kubefake.store.registry.request.Operation;
import kubefake.store.registry.request.UserInfo;

import java.util.List;
import java.util.Map;

/**
 * Who asked for a certificate: on create, a CertificateSigningRequest's {@code spec.username}, {@code uid},
 * {@code groups} and {@code extra} are the requesting user's, whatever the body said. The real server does this in
 * the strategy's PrepareForCreate from the request context; kubefake's strategies do not see the user, admission
 * does, so it is done here, first of the mutating plugins' work on this kind.
 */
public final class CsrRequestor implements MutatingPlugin {
    @Override
    public String name() {
        return "CertificateSigningRequestRequestor";
    }

    @Override
    public void admit(AdmissionAttributes a) {
        if (!a.isResource(CertificateSigningRequestStrategy.GROUP, "certificatesigningrequests") || !a.subresource().isEmpty()
                || a.operation() != Operation.CREATE || a.object() == null) {
            return;
        }
        UserInfo user = a.context().user();
        ObjectNode spec = a.object().with("spec");
        spec.remove(List.of("username", "uid", "groups", "extra"));
        if (!user.name().isEmpty()) spec.put("username", user.name());
        if (!user.uid().isEmpty()) spec.put("uid", user.uid());
        if (!user.groups().isEmpty()) user.groups().forEach(spec.withArray("groups")::add);
        if (!user.extra().isEmpty()) {
            ObjectNode extra = spec.putObject("extra");
            for (Map.Entry<String, List<String>> e : user.extra().entrySet()) e.getValue().forEach(extra.withArray(e.getKey())::add);
        }
        a.object().remove("status");
    }
}
