package kubefake.store.registry.admission;

/** A plugin that accepts or refuses the object as it will be stored (admission.ValidationInterface). */
public interface ValidatingPlugin {
    /** The name kube-apiserver's --enable-admission-plugins uses. */
    String name();

    void validate(AdmissionAttributes attributes);
}
