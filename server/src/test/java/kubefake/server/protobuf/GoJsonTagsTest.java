package kubefake.server.protobuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import kubefake.server.protobuf.GoJsonTags.FieldTags;
import org.junit.jupiter.api.Test;

/** The generated go-json-tags.txt must name real proto fields, and its flags must fit the fields' kinds. */
class GoJsonTagsTest {

    private final GoJsonTags tags = GoJsonTags.get();

    @Test
    void everyEntryNamesAFieldOfTheBundledDescriptors() {
        Map<String, Descriptor> messages = new HashMap<>();
        for (FileDescriptor file : KindIndex.filesWithGoStructs()) {
            file.getMessageTypes().forEach(m -> messages.put(m.getFullName(), m));
        }
        tags.fieldsByMessage().forEach((messageName, fields) -> {
            Descriptor message = messages.get(messageName);
            assertNotNull(message, "unknown message " + messageName);
            fields.forEach((fieldName, fieldTags) -> {
                FieldDescriptor field = message.findFieldByName(fieldName);
                assertNotNull(field, "unknown field " + messageName + "." + fieldName);
                boolean singleMessage = field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isRepeated();
                if (fieldTags.inline()) {
                    assertTrue(singleMessage, "inline field is not a single message: " + field.getFullName());
                    assertEquals(field.getMessageType().getFullName(), fieldTags.inlineMessage(), field.getFullName());
                }
                if (fieldTags.always()) {
                    assertFalse(singleMessage, "a struct is always written, whatever its tag: " + field.getFullName());
                }
                if (fieldTags.pointer()) {
                    assertFalse(field.isRepeated(), "pointer rule on a list or map: " + field.getFullName());
                }
                if (fieldTags.pointer()) {
                    assertFalse(field.isRepeated(), "pointer rule on a list or map: " + field.getFullName());
                }
            });
        });
        for (String array : tags.arrayMessages()) {
            Descriptor message = messages.get(array);
            assertNotNull(message, "unknown message " + array);
            assertEquals(1, message.getFields().size(), array);
            assertTrue(message.getFields().get(0).isRepeated(), array);
        }
    }

    @Test
    void recordsPointerStructsCollectionsWithoutOmitemptyAndNamedGoTypes() {
        assertTrue(field("v1", "Pod", "spec", "securityContext").pointer());
        assertFalse(field("v1", "Pod", "spec").pointer());
        assertTrue(field("v1", "Pod", "metadata", "deletionTimestamp").pointer());
        assertFalse(field("v1", "Pod", "metadata", "creationTimestamp").pointer());
        assertTrue(field("discovery.k8s.io/v1", "EndpointSlice", "endpoints").always());
        assertFalse(field("v1", "Pod", "spec", "volumes").always());
        assertEquals(new FieldTags(false, false, false, false, null), field("v1", "Service", "spec", "ports", "protocol"));
        kubefake.store.registry.fieldvalidation.GoJsonTags facts = kubefake.store.registry.fieldvalidation.GoJsonTags.get();
        assertEquals("v1.Protocol", facts.of("k8s.io.api.core.v1.ServicePort", "protocol").goType());
        assertEquals("types.UID", facts.of("k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta", "uid").goType());
        assertEquals("[]v1.FinalizerName", facts.of("k8s.io.api.core.v1.NamespaceSpec", "finalizers").goType());
        assertTrue(facts.ofJson("k8s.io.api.core.v1.Volume", "hostPath").pointer(), "inlined VolumeSource");
    }

    @Test
    void recordsTheGoFactsTheKubectlCommandsDependOn() {
        assertEquals(new FieldTags(true, false, false, false, null), field("apps/v1", "Deployment", "spec", "replicas"));
        assertEquals(new FieldTags(false, true, false, false, null), field("scheduling.k8s.io/v1", "PriorityClass", "value"));
        assertEquals(FieldTags.DEFAULT, field("v1", "ConfigMap", "metadata", "generateName"));
        assertTrue(field("v1", "Pod", "spec", "volumes", "volumeSource").inline());
    }

    /** The tags of the field at {@code path} below the kind's message. */
    private FieldTags field(String apiVersion, String kind, String... path) {
        Optional<Descriptor> found = KindIndex.find(apiVersion, kind);
        Descriptor message = found.orElseThrow();
        FieldDescriptor field = null;
        for (String name : path) {
            field = message.findFieldByName(name);
            assertNotNull(field, name);
            if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                message = field.getMessageType();
            }
        }
        return tags.of(field);
    }
}
