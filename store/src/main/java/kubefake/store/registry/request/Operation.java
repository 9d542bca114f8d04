package kubefake.store.registry.request;

/** What a write does, as admission names it (admission.Operation). */
public enum Operation {
    CREATE, UPDATE, DELETE, CONNECT
}
