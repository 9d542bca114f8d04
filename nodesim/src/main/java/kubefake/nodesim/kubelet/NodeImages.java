package kubefake.nodesim.kubelet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import kubefake.nodesim.runtime.Image;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The images in a node's containerd store (its pulls and what the node had from the start), and the
 * {@code status.images} list the kubelet reports: by size, largest first, at most 50 (nodeStatusMaxImages).
 */
final class NodeImages {
    static final int MAX_REPORTED = 50;

    /** by normalized reference (docker.io/library/nginx:latest) */
    private final Map<String, Image> byReference = new LinkedHashMap<>();
    private int version;

    boolean present(Image image) {
        return byReference.containsKey(image.reference().normalized());
    }

    void add(Image image) {
        if (!image.exists()) return;
        if (byReference.putIfAbsent(image.reference().normalized(), image) == null) version++;
    }

    /** Changes each time an image is added: the node status compares it. */
    int version() {
        return version;
    }

    ArrayNode toJson() {
        List<Image> images = new ArrayList<>(byReference.values());
        images.sort(Comparator.comparingLong(Image::size).reversed());
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (Image i : images.subList(0, Math.min(MAX_REPORTED, images.size()))) {
            var entry = out.addObject();
            var names = entry.putArray("names");
            i.names().forEach(names::add);
            entry.put("sizeBytes", i.size());
        }
        return out;
    }
}
