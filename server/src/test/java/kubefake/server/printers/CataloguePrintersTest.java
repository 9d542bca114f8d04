package kubefake.server.printers;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.ResourceType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Every resource the catalogue serves for listing has its Table printer: the columns the real server prints for it
 * (the store-side half, defaults, validation and field labels, is the store's CatalogueRulesTest).
 */
class CataloguePrintersTest {

    @Test
    void everyListableEntryPrintsTheRecordedColumns() {
        List<Reference.RecordedTable> recorded = Reference.tables();
        for (ResourceCatalogue.Entry entry : ResourceCatalogue.builtIn().entries()) {
            ResourceType type = entry.type();
            if (!type.verbs().contains("list")) continue;
            // metrics-server's API: the recorded cluster had none, and kubefake serves it without Tables
            if (type.group().equals("metrics.k8s.io")) continue;
            Reference.RecordedTable table = recorded.stream()
                    .filter(t -> t.group().equals(type.group()) && t.resource().equals(type.resource()))
                    .findFirst().orElse(null);
            assertNotNull(table, "no recorded table for " + type.qualifiedResource());
            List<String> want = new ArrayList<>();
            for (JsonNode c : table.table().path("columnDefinitions")) want.add(c.path("name").asText());
            List<String> got = TablePrinters.forResource(type.group(), type.resource()).columns().stream()
                    .map(Column::name).toList();
            assertEquals(want, got, type.qualifiedResource());
        }
    }
}
