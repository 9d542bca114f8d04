package kubefake.junit;

import java.nio.file.Path;

/**
 * The clients the extension injects, by class name, so that a test project needs only the client library it uses:
 * each factory class is loaded only when its client is asked for.
 */
final class Clients {
    static final String FABRIC8 = "io.fabric8.kubernetes.client.KubernetesClient";
    static final String OFFICIAL = "io.kubernetes.client.openapi.ApiClient";

    private Clients() {
    }

    /** A client that holds nothing to close. */
    record Unclosable(Object client) implements AutoCloseable {
        @Override
        public void close() {
        }
    }

    static boolean isClient(Class<?> type) {
        return type.getName().equals(FABRIC8) || type.getName().equals(OFFICIAL);
    }

    static AutoCloseable create(String type, Path kubeconfig) {
        return switch (type) {
            case FABRIC8 -> Fabric8Client.create(kubeconfig);
            case OFFICIAL -> new Unclosable(OfficialClient.create(kubeconfig));
            default -> throw new IllegalArgumentException("no client of type " + type + " (the clients: " + FABRIC8 + ", " + OFFICIAL + ")");
        };
    }
}
