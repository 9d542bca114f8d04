package kubefake.nodesim.lifecycle;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An event a stage records about the pod (as {@code kubelet}, from the node) when it moves on: its type
 * ({@code Normal} or {@code Warning}), reason and message, the message a {@link Template}.
 */
public record StageEvent(String type, String reason, Template message) {
    @JsonCreator
    static StageEvent fromYaml(@JsonProperty(value = "type", required = true) String type,
                               @JsonProperty(value = "reason", required = true) String reason,
                               @JsonProperty(value = "message", required = true) String message) {
        if (!type.equals("Normal") && !type.equals("Warning")) throw new IllegalArgumentException("event type must be Normal or Warning: " + type);
        return new StageEvent(type, reason, Template.parse(message));
    }
}
