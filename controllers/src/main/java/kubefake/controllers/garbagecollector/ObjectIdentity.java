package kubefake.controllers.garbagecollector;

/**
 * Which object a node of the graph stands for ({@code objectReference}): its owner-reference coordinates and its
 * namespace ("" for cluster-scoped objects).
 */
record ObjectIdentity(String apiVersion, String kind, String namespace, String name, String uid) {
    String group() {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    @Override
    public String toString() {
        return "[" + apiVersion + "/" + kind + ", namespace: " + namespace + ", name: " + name + ", uid: " + uid + "]";
    }
}
