package kubefake.store.fieldmanager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Timestamps;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.fieldvalidation.GoJson;
import kubefake.store.registry.fieldvalidation.GoRoundTrip;
import kubefake.store.registry.patch.PatchSchema;
import kubefake.store.registry.patch.SchemaType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The managedFields of one resource's objects (Kubernetes' {@code managedfields.FieldManager} with its default
 * decorators): every write records what its manager changed as an Update entry, and server-side apply merges a
 * configuration, owns its fields as an Apply entry, prunes what the applier stopped applying and refuses to take
 * fields from other managers unless forced.
 *
 * <p>Objects are compared in the shape the Go types give them (as decoded into the kind's struct), so that a create
 * compares against the kind's zero value as the real server does. Fields reset by the write's subresource (status on
 * the main resource, spec on status) are ignored.
 */
public final class FieldManager {
    public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    static final int MAX_UPDATE_MANAGERS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the stripMeta decorator never lets a manager own. */
    private static final FieldSet STRIP = new FieldSet()
            .insert(List.of(PathElement.field("apiVersion")))
            .insert(List.of(PathElement.field("kind")))
            .insert(List.of(PathElement.field("metadata")))
            .insert(meta("name")).insert(meta("namespace")).insert(meta("creationTimestamp")).insert(meta("selfLink"))
            .insert(meta("uid")).insert(meta("clusterName")).insert(meta("generation")).insert(meta("managedFields"))
            .insert(meta("resourceVersion"));

    private final String groupVersion;
    private final String group;
    private final String version;
    private final String kind;
    /** The CRD version's schema of a custom resource; null for a kind a bundled document describes. */
    private final SchemaType schema;
    /** The kind's type, {@link #root()}. */
    private volatile TypeRef root;
    private final GoRoundTrip roundTrip;
    private final boolean statusSubresource;
    /** {@link #ignoredWithManagedFields} of the main resource (and scale) and of status, made once: compared with only. */
    private final FieldSet ignoredOnMain;
    private final FieldSet ignoredOnStatus;
    /** {@link #zero()} made once, only ever compared with (every create's update is compared with it). */
    private volatile ObjectNode zeroValue;

    private FieldManager(String group, String version, String kind, boolean statusSubresource, SchemaType schema) {
        this.group = group;
        this.version = version;
        this.kind = kind;
        this.groupVersion = group.isEmpty() ? version : group + "/" + version;
        this.schema = schema;
        this.roundTrip = GoRoundTrip.of(group, version, kind);
        this.statusSubresource = statusSubresource;
        this.ignoredOnMain = ignored(null).insert(meta("managedFields"));
        this.ignoredOnStatus = ignored("status").insert(meta("managedFields"));
    }

    public static FieldManager of(String group, String version, String kind, boolean statusSubresource) {
        return new FieldManager(group, version, kind, statusSubresource, null);
    }

    /**
     * The field manager of a kind no bundled document describes (a custom resource), typed by {@code schema}: its
     * list types, map-list keys and atomic maps decide what a manager owns, as the real server reads them from the
     * CRD's schema.
     */
    public static FieldManager of(String group, String version, String kind, boolean statusSubresource, SchemaType schema) {
        return new FieldManager(group, version, kind, statusSubresource, schema);
    }

    /**
     * The kind's type, looked up on first use: a registry makes a field manager per resource when it is built, and
     * reading every group's bundled document then (5 MB of OpenAPI) was on the way to the server's first answer.
     */
    private TypeRef root() {
        TypeRef r = root;
        if (r == null) {
            r = TypeRef.root(schema != null ? schema : PatchSchema.forGroupVersionKind(group, version, kind));
            root = r;
        }
        return r;
    }

    private static List<PathElement> meta(String field) {
        return List.of(PathElement.field("metadata"), PathElement.field(field));
    }

    // ------------------------------------------------------------------ update

    /**
     * Records a create or update in {@code updated}'s managedFields: the fields {@code manager} changed become its
     * Update entry's, and other managers lose them. An object already stored without managedFields stays untracked.
     *
     * @param live             the stored object (in the Go type's shape, as stored), null on create
     * @param requestManaged   the managedFields the request carried (before any decoding dropped an empty list)
     * @param subresource      null for the main resource
     */
    public void update(ObjectNode live, ObjectNode updated, JsonNode requestManaged, String manager, String subresource,
                       Instant now) {
        update(live, updated, requestManaged, manager, subresource, now, false);
    }

    /**
     * As {@link #update}, for an object its caller has already put in the Go type's shape ({@link GoRoundTrip}):
     * compared as it is, without the copy {@link #update} shapes.
     */
    public void updateShaped(ObjectNode live, ObjectNode updated, JsonNode requestManaged, String manager,
                             String subresource, Instant now) {
        update(live, updated, requestManaged, manager, subresource, now, true);
    }

    private void update(ObjectNode live, ObjectNode updated, JsonNode requestManaged, String manager, String subresource,
                        Instant now, boolean isShaped) {
        ManagedFields managed = managedOfUpdate(live, requestManaged, subresource != null);
        ObjectNode meta = metadata(updated);
        meta.remove("managedFields");
        if (managed.isEmpty() && live != null) return; // skipNonApplied: existing objects without managedFields
        ManagerKey key = new ManagerKey(manager == null || manager.isEmpty() ? "unknown" : manager,
                ManagerKey.UPDATE, groupVersion, subresource);
        try {
            // the stored object is compared as it is, its managedFields ignored, unless it names another kind
            boolean liveAsIs = live != null && groupVersion.equals(live.path("apiVersion").asText(null))
                    && kind.equals(live.path("kind").asText(null));
            JsonNode before = live == null ? zeroValue() : liveAsIs ? live : stored(live);
            recordUpdate(managed, before, isShaped ? updated : shaped(updated), key,
                    ignoredWithManagedFields(subresource), timestamp(now));
        } catch (TypeRef.TypedValueException e) {
            // UpdateNoErrors: an object its schema cannot type (validation refuses it next) keeps the stored entries
            JsonNode stored = live == null ? null : live.path("metadata").get("managedFields");
            if (stored == null) meta.remove("managedFields");
            else meta.set("managedFields", stored.deepCopy());
            return;
        }
        ManagedFields.Entry after = managed.entries().get(key);
        if ("scale".equals(subresource) && after != null) {
            // the real scale handler maps the Scale's entries back to the parent with the parent's times, under a
            // manager key (autoscaling/v1) the parent never has: a scale entry carries no time
            managed.entries().put(key, after.at(after.apiVersion(), null));
        }
        capUpdateManagers(managed);
        write(meta, managed);
    }

    private ManagedFields managedOfUpdate(ObjectNode live, JsonNode requestManaged, boolean subresource) {
        if (!subresource) {
            if (ManagedFields.isReset(requestManaged)) return new ManagedFields();
            try {
                ManagedFields m = ManagedFields.decode(requestManaged);
                if (!m.isEmpty()) return m;
            } catch (IllegalArgumentException e) {
                // fall back to the stored entries, as the real server does
            }
        }
        if (live == null) return new ManagedFields();
        try {
            return ManagedFields.decodeStored(live.path("metadata").get("managedFields"));
        } catch (IllegalArgumentException e) {
            return new ManagedFields();
        }
    }

    private void recordUpdate(ManagedFields managed, JsonNode before, JsonNode after, ManagerKey key, FieldSet ignored,
                              String time) {
        if (managed.isEmpty()) {
            // no entry to take fields from (a create): only what the write added or changed matters, in one set
            FieldSet mine = Comparison.changed(before, after, root(), ignored).removeAll(STRIP);
            if (!mine.isEmpty()) managed.entries().put(key, new ManagedFields.Entry(mine, groupVersion, time));
            return;
        }
        Comparison c = Comparison.of(before, after, root(), ignored);
        FieldSet changed = c.modified().isEmpty() ? c.added() : c.modified().union(c.added());
        ManagedFields.Entry own = managed.entries().get(key);
        for (Iterator<Map.Entry<ManagerKey, ManagedFields.Entry>> it = managed.entries().entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<ManagerKey, ManagedFields.Entry> e = it.next();
            FieldSet fields = e.getValue().fields();
            // an entry that owns nothing the write changed stays as it was (and keeps its stored FieldsV1)
            if (!fields.isEmpty() && !fields.intersects(changed) && !fields.intersects(c.removed())) continue;
            FieldSet rest = fields.difference(changed).difference(c.removed());
            if (rest.isEmpty()) it.remove();
            else e.setValue(new ManagedFields.Entry(rest, e.getValue().apiVersion(), e.getValue().time()));
        }
        FieldSet mine = changed.difference(STRIP);
        if (mine.isEmpty()) return;
        ManagedFields.Entry previous = managed.entries().get(key);
        FieldSet fields = previous == null ? mine : mine.union(previous.fields());
        // a manager writing again what it owns already (a kubelet's status) keeps its stored FieldsV1, with a new time
        managed.entries().put(key, own != null && fields.sameAs(own.fields()) ? own.at(groupVersion, time)
                : new ManagedFields.Entry(fields, groupVersion, time));
    }

    /** More than ten Update managers: the oldest are merged into "ancient-changes", per API version. */
    private void capUpdateManagers(ManagedFields managed) {
        List<ManagerKey> updaters = new ArrayList<>();
        managed.entries().forEach((k, v) -> {
            if (!k.applied()) updaters.add(k);
        });
        if (updaters.size() <= MAX_UPDATE_MANAGERS) return;
        updaters.sort(Comparator.<ManagerKey, String>comparing(k -> {
            String t = managed.entries().get(k).time();
            return t == null ? "" : t;
        }).thenComparing(ManagerKey::manager));
        Map<String, ManagerKey> firstOfVersion = new LinkedHashMap<>();
        int length = updaters.size();
        for (int i = 0; i < updaters.size() && length > MAX_UPDATE_MANAGERS; i++) {
            ManagerKey k = updaters.get(i);
            ManagedFields.Entry entry = managed.entries().get(k);
            ManagerKey bucket = new ManagerKey("ancient-changes", ManagerKey.UPDATE, entry.apiVersion(), "");
            ManagerKey first = firstOfVersion.get(entry.apiVersion());
            if (first == null) {
                firstOfVersion.put(entry.apiVersion(), k);
                continue;
            }
            if (!managed.entries().containsKey(bucket)) {
                managed.entries().put(bucket, managed.entries().remove(first));
            }
            ManagedFields.Entry b = managed.entries().get(bucket);
            managed.entries().put(bucket, new ManagedFields.Entry(entry.fields().union(b.fields()), entry.apiVersion(), entry.time()));
            managed.entries().remove(k);
            length--;
        }
    }

    // ------------------------------------------------------------------ apply

    /**
     * Server-side apply of {@code config} by {@code manager} to {@code live} (null when the object does not exist).
     *
     * @return the object to store, with its managedFields
     * @throws StatusException 400 for a configuration of another kind or carrying managedFields, 409 for conflicts
     */
    public ObjectNode apply(ObjectNode live, ObjectNode config, String manager, boolean force, String subresource,
                            Instant now) {
        String apiVersion = config.path("apiVersion").asText("");
        String configKind = config.path("kind").asText("");
        if (!apiVersion.equals(groupVersion) || !configKind.equals(kind)) {
            throw StatusException.badRequest("invalid object type: " + gvkString(apiVersion, configKind));
        }
        JsonNode configMeta = config.path("metadata");
        if (configMeta.has("managedFields") && !configMeta.get("managedFields").isNull()) {
            throw StatusException.badRequest("metadata.managedFields must be nil");
        }
        ManagedFields managed;
        try {
            managed = live == null ? new ManagedFields() : ManagedFields.decode(live.path("metadata").get("managedFields"));
        } catch (IllegalArgumentException e) {
            throw StatusException.internal("failed to decode managed fields: " + e.getMessage());
        }
        ObjectNode liveShaped = live == null ? zero() : stored(live);
        FieldSet ignored = ignored(subresource);
        String time = timestamp(now);
        if (managed.isEmpty() && live != null) {
            // skipNonApplied: what an untracked object holds becomes before-first-apply's
            recordUpdate(managed, zeroValue(), liveShaped, new ManagerKey("before-first-apply", ManagerKey.UPDATE,
                    groupVersion, subresource), ignored, time);
            capUpdateManagers(managed);
        }
        ManagerKey key = new ManagerKey(manager, ManagerKey.APPLY, null, subresource);
        Applied applied;
        try {
            TypedFields.validate(config, root());
            try {
                applied = applyOnce(managed, liveShaped, config, key, force, ignored, time);
            } catch (Conflicts c) {
                if (!"kubectl".equals(manager)) throw c;
                // kubectl's first server-side apply over its client-side applies: fields last-applied holds unchanged
                FieldSet allowed = allowedByLastApplied(live);
                if (allowed == null) throw c;
                Map<ManagerKey, FieldSet> remaining = new LinkedHashMap<>();
                c.conflicts.forEach((k, set) -> {
                    FieldSet rest = set.difference(allowed);
                    if (!rest.isEmpty()) remaining.put(k, rest);
                });
                if (!remaining.isEmpty()) throw new Conflicts(remaining);
                applied = applyOnce(managed, liveShaped, config, key, true, ignored, time);
            }
        } catch (Conflicts c) {
            throw ApplyConflicts.error(c.conflicts);
        } catch (TypeRef.TypedValueException e) {
            JsonNode m = config.path("metadata");
            // not a Status on the real server either: a 500 with an empty reason and the bare message
            throw new StatusException(500, "", "failed to create typed patch object (" + m.path("namespace").asText("")
                    + "/" + m.path("name").asText("") + "; " + gvkString(apiVersion, configKind) + "): " + e.getMessage(), null);
        }
        ObjectNode result = applied.object != null ? applied.object : live != null ? live.deepCopy() : zero();
        ObjectNode meta = metadata(result);
        meta.remove("managedFields");
        if ("kubectl".equals(manager) && hasLastApplied(result)) {
            ((ObjectNode) meta.get("annotations")).put(LAST_APPLIED, lastApplied(config));
        }
        write(meta, applied.managed);
        return result;
    }

    private record Applied(ObjectNode object, ManagedFields managed) {
    }

    private static final class Conflicts extends RuntimeException {
        final Map<ManagerKey, FieldSet> conflicts;

        Conflicts(Map<ManagerKey, FieldSet> conflicts) {
            super(null, null, false, false);
            this.conflicts = conflicts;
        }
    }

    private Applied applyOnce(ManagedFields original, ObjectNode live, ObjectNode config, ManagerKey key, boolean force,
                              FieldSet ignored, String time) {
        ManagedFields managed = original.copy();
        ObjectNode merged = (ObjectNode) ApplyMerge.merge(live, config, root(), List.of());
        ManagedFields.Entry last = managed.entries().get(key);
        FieldSet set = TypedFields.of(config, root()).recursiveDifference(ignored);
        managed.entries().put(key, new ManagedFields.Entry(set, groupVersion, last == null ? null : last.time()));
        merged = prune(merged, managed, key, last);
        Comparison c = Comparison.of(live, merged, root(), ignored);
        FieldSet changed = c.modified().union(c.added());
        Map<ManagerKey, FieldSet> conflicts = new LinkedHashMap<>();
        managed.entries().forEach((k, e) -> {
            if (k.equals(key)) return;
            FieldSet overlap = e.fields().intersection(changed);
            if (!overlap.isEmpty()) conflicts.put(k, overlap);
        });
        if (!force && !conflicts.isEmpty()) throw new Conflicts(conflicts);
        for (Iterator<Map.Entry<ManagerKey, ManagedFields.Entry>> it = managed.entries().entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<ManagerKey, ManagedFields.Entry> e = it.next();
            if (e.getKey().equals(key)) continue;
            FieldSet lost = conflicts.getOrDefault(e.getKey(), new FieldSet());
            FieldSet rest = e.getValue().fields().difference(lost).difference(c.removed());
            if (rest.isEmpty()) it.remove();
            else e.setValue(new ManagedFields.Entry(rest, e.getValue().apiVersion(), e.getValue().time()));
        }
        boolean noop = Values.equal(live, merged);
        ManagedFields.Entry mine = managed.entries().get(key);
        FieldSet owned = mine.fields().difference(STRIP);
        if (owned.isEmpty()) managed.entries().remove(key);
        else managed.entries().put(key, new ManagedFields.Entry(owned, groupVersion, noop ? mine.time() : time));
        return new Applied(noop ? null : merged, managed);
    }

    /** Removes what the applier applied last time and no longer does, unless another manager owns it. */
    private ObjectNode prune(ObjectNode merged, ManagedFields managed, ManagerKey key, ManagedFields.Entry last) {
        if (last == null || last.fields().isEmpty()) return merged;
        FieldSet lastSet = ensure(last.fields());
        JsonNode pruned = ApplyMerge.remove(merged, lastSet, root());
        FieldSet owned = new FieldSet();
        for (ManagedFields.Entry e : managed.entries().values()) owned = owned.union(e.fields());
        FieldSet mergedSet = ensure(TypedFields.of(merged, root()));
        FieldSet prunedSet = ensure(TypedFields.of(pruned, root()));
        pruned = ApplyMerge.remove(merged, mergedSet.difference(prunedSet.union(ensure(owned))), root());
        prunedSet = ensure(TypedFields.of(pruned, root()));
        JsonNode result = ApplyMerge.remove(merged, mergedSet.difference(prunedSet).intersection(lastSet), root());
        return result instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
    }

    private FieldSet ensure(FieldSet set) {
        return ApplyMerge.ensureNamedFieldsAreMembers(set, root());
    }

    /** The fields kubectl's last-applied-configuration holds with the live object's values (allowed to be taken over). */
    private FieldSet allowedByLastApplied(ObjectNode live) {
        if (live == null) return null;
        String annotation = live.path("metadata").path("annotations").path(LAST_APPLIED).asText("");
        if (annotation.isEmpty()) return null;
        JsonNode last;
        try {
            last = JSON.readTree(annotation);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (!last.isObject() || !groupVersion.equals(last.path("apiVersion").asText(""))) return null;
        try {
            FieldSet set = TypedFields.of(last, root());
            Comparison c = Comparison.of(last, stored(live), root());
            return set.difference(c.modified()).difference(c.added()).difference(c.removed());
        } catch (TypeRef.TypedValueException e) {
            return null;
        }
    }

    private static boolean hasLastApplied(ObjectNode object) {
        return !object.path("metadata").path("annotations").path(LAST_APPLIED).asText("").isEmpty();
    }

    /** The configuration as kubectl's annotation holds it: sorted JSON without the annotation, then a newline. */
    private static String lastApplied(ObjectNode config) {
        ObjectNode copy = config.deepCopy();
        JsonNode annotations = copy.path("metadata").path("annotations");
        if (annotations instanceof ObjectNode a) {
            a.remove(LAST_APPLIED);
        }
        StringBuilder b = new StringBuilder();
        GoJson.value(b, sorted(copy));
        return b.append('\n').toString();
    }

    private static JsonNode sorted(JsonNode n) {
        if (n.isObject()) {
            TreeMap<String, JsonNode> fields = new TreeMap<>();
            n.fields().forEachRemaining(e -> fields.put(e.getKey(), sorted(e.getValue())));
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            fields.forEach(o::set);
            return o;
        }
        if (n.isArray()) {
            var a = JsonNodeFactory.instance.arrayNode();
            n.forEach(e -> a.add(sorted(e)));
            return a;
        }
        return n;
    }

    // ------------------------------------------------------------------ helpers

    /** The fields a write of that subresource resets: status on the main resource, spec on status. */
    private FieldSet ignored(String subresource) {
        FieldSet s = new FieldSet();
        if (subresource == null || subresource.isEmpty() || subresource.equals("scale")) {
            if (statusSubresource) s.insert(List.of(PathElement.field("status")));
        } else if (subresource.equals("status")) {
            s.insert(List.of(PathElement.field("spec")));
        }
        return s;
    }

    /** {@link #ignored}, and the stored object's managedFields (compared without a copy that drops them). */
    private FieldSet ignoredWithManagedFields(String subresource) {
        if (subresource == null || subresource.isEmpty() || subresource.equals("scale")) return ignoredOnMain;
        if (subresource.equals("status")) return ignoredOnStatus;
        return ignored(subresource).insert(meta("managedFields"));
    }

    /** The kind's zero value as the Go type writes it (what a create is compared with). */
    private ObjectNode zero() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("apiVersion", groupVersion).put("kind", kind);
        roundTrip.apply(o);
        return o;
    }

    /** The kind's zero value, shared: not to be changed. */
    private ObjectNode zeroValue() {
        ObjectNode z = zeroValue;
        if (z == null) zeroValue = z = zero();
        return z;
    }

    /** A stored object (already in the Go type's shape), copied without managedFields. */
    private ObjectNode stored(ObjectNode object) {
        ObjectNode o = object.deepCopy();
        o.put("apiVersion", groupVersion).put("kind", kind);
        JsonNode meta = o.get("metadata");
        if (meta instanceof ObjectNode m) m.remove("managedFields");
        return o;
    }

    /** A copy as the Go type writes it, without managedFields. */
    private ObjectNode shaped(ObjectNode object) {
        ObjectNode o = object.deepCopy();
        o.put("apiVersion", groupVersion).put("kind", kind);
        roundTrip.apply(o);
        JsonNode meta = o.get("metadata");
        if (meta instanceof ObjectNode m) m.remove("managedFields");
        return o;
    }

    private static void write(ObjectNode meta, ManagedFields managed) {
        JsonNode encoded = managed.encode();
        if (encoded == null) meta.remove("managedFields");
        else meta.set("managedFields", encoded);
    }

    private static ObjectNode metadata(ObjectNode object) {
        JsonNode m = object.get("metadata");
        if (m instanceof ObjectNode o) return o;
        return object.putObject("metadata");
    }

    /** Go's GroupVersionKind.String(): {@code apps/v1, Kind=Deployment}, {@code /v1, Kind=Pod}. */
    private static String gvkString(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        String g = slash >= 0 ? apiVersion.substring(0, slash) : "";
        String v = slash >= 0 ? apiVersion.substring(slash + 1) : apiVersion;
        return g + "/" + v + ", Kind=" + kind;
    }

    static String timestamp(Instant t) {
        return Timestamps.seconds(t);
    }
}
