package kubefake.client.informers;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collection;

/** The values an object is indexed under (none, one or several), read from its tree. */
@FunctionalInterface
public interface IndexFunction {
    Collection<String> values(ObjectNode object);
}
