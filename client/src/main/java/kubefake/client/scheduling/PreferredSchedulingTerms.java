package kubefake.client.scheduling;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pod's {@code preferredDuringSchedulingIgnoredDuringExecution} node affinity: a node scores the sum of the
 * weights of the terms it matches ({@code nodeaffinity.PreferredSchedulingTerms}). Terms without weight or
 * requirements, and malformed ones, count for nothing.
 */
public final class PreferredSchedulingTerms {
    private record Weighted(NodeSelector.Term term, int weight) {
    }

    private final List<Weighted> terms;

    private PreferredSchedulingTerms(List<Weighted> terms) {
        this.terms = terms;
    }

    public static PreferredSchedulingTerms ofPod(JsonNode pod) {
        List<Weighted> terms = new ArrayList<>();
        for (JsonNode t : pod.path("spec").path("affinity").path("nodeAffinity").path("preferredDuringSchedulingIgnoredDuringExecution")) {
            int weight = t.path("weight").asInt(0);
            JsonNode preference = t.path("preference");
            if (weight == 0 || (preference.path("matchExpressions").isEmpty() && preference.path("matchFields").isEmpty())) continue;
            terms.add(new Weighted(NodeSelector.parseTerm(preference), weight));
        }
        return new PreferredSchedulingTerms(terms);
    }

    public boolean isEmpty() {
        return terms.isEmpty();
    }

    public long score(Map<String, String> nodeLabels, String nodeName) {
        long score = 0;
        for (Weighted w : terms) if (w.term().matches(nodeLabels, nodeName)) score += w.weight();
        return score;
    }
}
