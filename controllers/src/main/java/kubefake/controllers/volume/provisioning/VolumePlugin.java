package kubefake.controllers.volume.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What one external provisioner knows (sig-storage-lib-external-provisioner's {@code Provisioner} interface): the
 * volume it makes for a claim, and how it gets rid of one.
 */
public interface VolumePlugin {

    /**
     * The new PersistentVolume for the claim (name {@code pvName}); the controller adds the claim reference, the class
     * and the {@code pv.kubernetes.io/provisioned-by} annotation.
     */
    ObjectNode provision(JsonNode claim, JsonNode storageClass, String pvName);

    /** Frees what backs a volume about to be deleted (the simulation has nothing to free by default). */
    default void delete(JsonNode volume) {
    }
}
