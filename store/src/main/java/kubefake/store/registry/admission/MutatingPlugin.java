package kubefake.store.registry.admission;

/** A plugin that may change the object (admission.MutationInterface); it may also refuse the write. */
public interface MutatingPlugin {
    /** The name kube-apiserver's --enable-admission-plugins uses. */
    String name();

    void admit(AdmissionAttributes attributes);
}
