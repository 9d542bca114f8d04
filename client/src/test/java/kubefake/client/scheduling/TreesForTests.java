package kubefake.client.scheduling;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;

import java.nio.charset.StandardCharsets;

/** JSON written with single quotes, for readable test objects. */
final class TreesForTests {
    private TreesForTests() {
    }

    static ObjectNode json(String singleQuoted) {
        return Json.parseObject(singleQuoted.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    static ObjectNode node(String name, String labels) {
        return json("{'metadata': {'name': '" + name + "', 'labels': " + labels + "}}");
    }

    static ObjectNode podSpec(String spec) {
        return json("{'metadata': {'name': 'p'}, 'spec': " + spec + "}");
    }
}
