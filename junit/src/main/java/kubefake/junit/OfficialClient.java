package kubefake.junit;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.Config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The official Java client's ApiClient from the kubeconfig (loaded only when that client is asked for). */
final class OfficialClient {
    private OfficialClient() {
    }

    static ApiClient create(Path kubeconfig) {
        try {
            return Config.fromConfig(kubeconfig.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
