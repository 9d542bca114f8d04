package kubefake.controllers.podautoscaler;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * The resource metrics API (metrics.k8s.io/v1beta1) as the HPA controller's metrics client reads it: the PodMetrics
 * of a namespace's pods a label selector selects. The server answers in process from the same figures it serves over
 * HTTP; a cluster without metrics-server answers with the error the real client gets.
 */
@FunctionalInterface
public interface ResourceMetricsApi {

    /**
     * PodMetrics objects (metrics.k8s.io/v1beta1 trees: metadata.name, timestamp, window, containers[].usage).
     *
     * @throws Unavailable when the API cannot be reached, with the message of the real client's error
     */
    List<JsonNode> listPodMetrics(String namespace, String labelSelector) throws Unavailable;

    /** The API answered with an error (not served: the server could not find the requested resource...). */
    final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        public Unavailable(String message) {
            super(message);
        }
    }

    /** No metrics-server: the aggregated API is not registered, so the request is a 404 of the API server. */
    ResourceMetricsApi NOT_SERVED = (namespace, selector) -> {
        throw new Unavailable("the server could not find the requested resource (get pods.metrics.k8s.io)");
    };
}
