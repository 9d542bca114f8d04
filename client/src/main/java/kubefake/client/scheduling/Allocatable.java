package kubefake.client.scheduling;

import com.fasterxml.jackson.databind.JsonNode;

/** What a node offers to pods: its {@code status.allocatable} resources and how many pods it takes. */
public record Allocatable(Resources resources, long pods) {

    public static Allocatable ofNode(JsonNode node) {
        JsonNode list = node.path("status").path("allocatable");
        java.math.BigDecimal pods = Resources.parse(list.get(Resources.PODS));
        return new Allocatable(Resources.fromList(list), pods == null ? 0 : Resources.ceil(pods));
    }
}
