package kubefake.controllers.history;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static kubefake.controllers.testing.LabCluster.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ControllerRevisionsTest {
    @Test
    void safeEncodingSpellsDigitsAsTheRealHashesDo() {
        // why real hashes such as 6d4db5f9d9 or 84977d7f4c only hold 4-9 and b, c, d, f
        assertEquals("456789bcdf", ControllerRevisions.safeEncode("0123456789"));
    }

    @Test
    void theTemplateHashIsStableAndChangesWithTheTemplateAndTheCollisionCount() {
        JsonNode template = json("{'metadata': {'labels': {'app': 'a'}}, 'spec': {'containers': [{'name': 'c', 'image': 'nginx'}]}}");
        JsonNode reordered = json("{'spec': {'containers': [{'image': 'nginx', 'name': 'c'}]}, 'metadata': {'labels': {'app': 'a'}}}");
        String hash = ControllerRevisions.templateHash(template, null);
        assertTrue(hash.matches("[4-9bcdf]{1,10}"), hash);
        assertEquals(hash, ControllerRevisions.templateHash(reordered, null), "field order does not matter");
        assertNotEquals(hash, ControllerRevisions.templateHash(template, 1));
        assertNotEquals(hash, ControllerRevisions.templateHash(json("{'metadata': {'labels': {'app': 'b'}}}"), null));
    }
}
