package kubefake.store.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.ref.WeakReference;
import kubefake.store.mvcc.CompactedException;
import kubefake.store.mvcc.Event;
import kubefake.store.mvcc.KeyValue;
import kubefake.store.mvcc.KeyValueStore;
import kubefake.store.mvcc.RangeResult;
import kubefake.store.mvcc.ReadView;
import kubefake.store.mvcc.ValueEncoder;
import kubefake.store.mvcc.WriteResult;
import kubefake.store.mvcc.WriteView;
import kubefake.store.registry.admission.AdmissionAttributes;
import kubefake.store.registry.defaulting.Defaulter;
import kubefake.store.registry.errors.StatusDetails;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.errors.Cause;
import kubefake.store.registry.errors.FieldError;
import kubefake.store.registry.errors.FieldPath;
import kubefake.store.registry.errors.GoLiteral;
import kubefake.store.fieldmanager.FieldManager;
import kubefake.store.registry.fieldvalidation.GoRoundTrip;
import kubefake.store.registry.validation.ObjectValidator;
import kubefake.store.registry.request.Operation;
import kubefake.store.registry.request.RequestContext;
import kubefake.store.registry.request.UserInfo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The generic machinery of one resource (Kubernetes' generic registry Store): create, get, list, update, patch,
 * delete and watch over the MVCC store, with the resource's {@link ResourceStrategy} deciding what differs.
 * Objects are stored under {@code /registry/[group/]resource/[namespace/]name}.
 */
public final class ResourceStore {
    /**
     * How many names a create from {@code generateName} tries before it answers 409, as the real store does since
     * RetryGenerateName (GA in 1.32): a taken name is the server's bad luck, not the client's.
     */
    private static final int NAME_GENERATION_ATTEMPTS = 8;
    /** The largest batch a selected list reads at once (storage's maxLimit for its reads from etcd). */
    private static final int SELECTED_BATCH_MAX = 10_000;

    private final Registry registry;
    private final ResourceType type;
    private final ResourceStrategy strategy;
    private final KeyValueStore kv;
    private final String prefix;
    private final Defaulter defaulter;
    private final ObjectValidator validator;
    private final GoRoundTrip roundTrip;
    /** The round trip of the kind objects are stored as, when another API's (core/v1 Event for events.k8s.io). */
    private final GoRoundTrip storageRoundTrip;
    /** Whether objects are stored as another group-version's kind and converted on every read and write. */
    private final boolean converts;
    /** The managedFields of this resource's objects, and server-side apply. */
    private final FieldManager fieldManager;

    ResourceStore(Registry registry, ResourceType type, ResourceStrategy strategy, KeyValueStore kv) {
        this.registry = registry;
        this.type = type;
        this.strategy = strategy;
        this.kv = kv;
        ResourceType.Storage storage = type.storageOrSelf();
        this.prefix = "/registry/" + (storage.group().isEmpty() ? "" : storage.group() + "/") + storage.resource();
        // another version of the same resource is the same objects (a version promoted with its schema unchanged),
        // unless its strategy converts them (autoscaling/v1 HorizontalPodAutoscalers stored as v2)
        this.converts = type.storage() != null
                && (!(storage.group().equals(type.group()) && storage.resource().equals(type.resource()))
                || strategy.convertsStoredVersion());
        this.defaulter = strategy.rules().defaulter();
        this.validator = strategy.rules().validator();
        this.roundTrip = GoRoundTrip.of(type.group(), type.version(), type.kind());
        this.storageRoundTrip = GoRoundTrip.of(storage.group(), storage.version(), storage.kind());
        this.fieldManager = FieldManager.of(type.group(), type.version(), type.kind(), strategy.hasStatusSubresource(),
                strategy.objectSchema());
    }

    public ResourceType type() { return type; }

    public ResourceStrategy strategy() { return strategy; }

    String key(String namespace, String name) {
        return type.namespaced() ? prefix + "/" + namespace + "/" + name : prefix + "/" + name;
    }

    /** The key prefix of a namespace's objects, or of all objects when namespace is null/empty. */
    String collectionPrefix(String namespace) {
        return type.namespaced() && namespace != null && !namespace.isEmpty() ? prefix + "/" + namespace + "/" : prefix + "/";
    }

    /** The revision as this resource shows it: one StoredObject per stored revision, shared by all its readers. */
    private StoredObject stored(KeyValue kv) {
        kv.inUse(); // a revision read through the registry stays unpacked while it is read
        if (converts) return view(kv.value(), kv.modRevision());
        if (kv.decoded() instanceof StoredObject s && s.type() == type) return s;
        StoredObject s = new StoredObject(type, kv);
        kv.decoded(s);
        return s;
    }

    /** The stored bytes as this resource's API shows them (converted when stored as another kind). */
    private StoredObject view(byte[] storedJson, long revision) {
        if (!converts) return new StoredObject(type, storedJson, revision);
        ObjectNode converted = strategy.fromStorage(Json.parseObject(storedJson));
        roundTrip(converted);
        return new StoredObject(type, Json.bytes(ObjectCodec.canonical(converted)), revision);
    }

    /**
     * The encoder of a write of {@code canonical}, which the writer must not change afterwards: its readers share it
     * as the new revision's tree (not when stored as another kind: they read a conversion of the bytes).
     */
    private ValueEncoder encoder(ObjectNode canonical) {
        return converts ? rev -> ObjectCodec.encode(canonical, rev) : ObjectCodec.encoder(type, canonical);
    }

    /** Shapes an object as the real server's decoding into the Go type, storage and encoding shape it. */
    private void roundTrip(ObjectNode object) {
        roundTrip.apply(object);
    }

    /** The canonical stored form of an object of this resource's API (the storage kind's shape when converted). */
    private ObjectNode storageForm(ObjectNode object) {
        if (!converts) return ObjectCodec.canonical(object);
        ObjectNode stored = strategy.toStorage(object);
        storageRoundTrip.apply(stored);
        return ObjectCodec.canonical(stored);
    }

    // ---------------------------------------------------------------- get

    public StoredObject get(String namespace, String name) {
        KeyValue v = kv.get(key(namespace, name));
        if (v == null) throw notFound(name);
        return stored(v);
    }

    /** The object or null. */
    public StoredObject find(String namespace, String name) {
        KeyValue v = kv.get(key(namespace, name));
        return v == null ? null : stored(v);
    }

    private StatusException notFound(String name) {
        return StatusException.notFound(type.group(), type.resource(), name);
    }

    // ---------------------------------------------------------------- create

    public StoredObject create(String namespace, ObjectNode object, RequestContext context) {
        return create(namespace, object, context, true);
    }

    /** @param recordUpdate false when the object's managedFields are already settled (server-side apply) */
    private StoredObject create(String namespace, ObjectNode object, RequestContext context, boolean recordUpdate) {
        context = context.withOperation(Operation.CREATE);
        JsonNode requestedManagedFields = Json.metadata(object).get("managedFields");
        checkTypeMeta(object);
        ObjectNode meta = Json.metadata(object);
        namespace = reconcileNamespace(namespace, meta);
        String name = Json.text(meta, "name");
        // admission sees the name the request gave (a generated one comes later on the real server)
        String requestedName = name;
        boolean generated = false;
        String generateName = Json.text(meta, "generateName");
        if (name.isEmpty()) {
            if (!generateName.isEmpty()) {
                name = NameGenerator.generate(generateName, registry.nameRandom());
                meta.put("name", name);
                generated = true;
            }
        }
        if (!Json.text(meta, "resourceVersion").isEmpty()) {
            throw StatusException.internal("resourceVersion should not be set on objects to be created");
        }
        Instant now = registry.clock().instant();
        meta.remove(List.of("uid", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"));
        meta.put("creationTimestamp", timestamp(now));
        // as the real Store.Create fills the system fields before the strategy runs (a Job's selector names its uid)
        meta.put("uid", UUID.randomUUID().toString());
        if (strategy.tracksGeneration()) meta.put("generation", 1);
        else meta.remove("generation");
        try {
            // managedFields as the real create handler records them: on the decoded (defaulted) object, before the
            // strategy's changes (allocated IPs and ports) and admission's
            // defaulted once, as decoding the request defaults it on the real server
            defaulter.apply(object);
            JsonNode managedFields = meta.path("managedFields");
            if (recordUpdate) {
                ObjectNode decoded = object.deepCopy();
                // the request's managedFields (held above) are the field manager's input, not part of what it compares
                Json.metadata(decoded).remove("managedFields");
                roundTrip(decoded);
                fieldManager.updateShaped(null, decoded, requestedManagedFields, manager(context), context.subresource(), now);
                managedFields = decoded.path("metadata").path("managedFields");
            }
            strategy.prepareForCreate(object);
            // the status the strategy cleared, and what Services default next to their allocated IPs
            defaulter.applyAfterPrepare(object);
            if (managedFields.isMissingNode()) meta.remove("managedFields");
            else meta.set("managedFields", managedFields);
            AdmissionAttributes admission = new AdmissionAttributes(type, namespace, requestedName, object, null, context);
            registry.admission().admit(admission);
            roundTrip(object);
            validate(object, null, name);
            registry.admission().validate(admission);
            ObjectNode canonical = storageForm(object);
            if (context.dryRun()) {
                if (kv.get(key(namespace, name)) != null) throw alreadyExists(name, generated);
                return view(Json.bytes(canonical), 0);
            }
            WriteResult r = kv.put(key(namespace, name), encoder(canonical), WriteView.ABSENT);
            // nothing the create derived depends on which random characters the name got: only the name changes
            for (int attempt = 1; !r.succeeded() && generated && attempt < NAME_GENERATION_ATTEMPTS; attempt++) {
                name = NameGenerator.generate(generateName, registry.nameRandom());
                Json.metadata(canonical).put("name", name);
                r = kv.put(key(namespace, name), encoder(canonical), WriteView.ABSENT);
            }
            if (!r.succeeded()) throw alreadyExists(name, generated);
            return stored(r.current());
        } finally {
            // stored (and visible to the next allocation) or failed: either way nothing is pending any more
            strategy.releaseReservations(object);
        }
    }

    /**
     * Stores an object in the form {@link #create} stored it before, in another store: those stored bytes, with only
     * what belongs to this write renewed (uid, creationTimestamp and its managedFields' time: now). What a
     * create derives from its request (defaults, the Go round trip, managedFields, validation) is the same for the same
     * request, so the API server's constant bootstrap objects are computed once when kubefake is built
     * ({@code BootstrapPolicy}) rather than on every start. No admission: the caller is the API server itself, before
     * anyone else may write.
     *
     * @param stored the stored form, as parsed from the stored bytes; this store takes it over
     * @return null when an object of that name exists already (left as it is)
     */
    public StoredObject createAsStored(String namespace, ObjectNode stored) {
        ObjectNode meta = Json.metadata(stored);
        String name = Json.text(meta, "name");
        String now = timestamp(registry.clock().instant());
        meta.put("uid", UUID.randomUUID().toString());
        meta.put("creationTimestamp", now);
        for (JsonNode entry : meta.path("managedFields")) ((ObjectNode) entry).put("time", now);
        meta.remove("resourceVersion");
        WriteResult r = kv.put(key(type.namespaced() ? namespace : "", name), encoder(stored), WriteView.ABSENT);
        return r.succeeded() ? stored(r.current()) : null;
    }

    private StatusException alreadyExists(String name, boolean generated) {
        return generated ? StatusException.generateNameConflict(type.group(), type.resource(), name, 1)
                : StatusException.alreadyExists(type.group(), type.resource(), name);
    }

    private void validate(ObjectNode object, ObjectNode old, String name) {
        validate(object, old, name, validator);
    }

    private void validate(ObjectNode object, ObjectNode old, String name, ObjectValidator validator) {
        List<Cause> causes = new ArrayList<>(validator.validate(object, old));
        causes.addAll(strategy.validate(object, old));
        if (!causes.isEmpty()) throw StatusException.invalid(type.group(), type.kind(), name, causes);
    }

    private void checkTypeMeta(ObjectNode object) {
        String apiVersion = Json.text(object, "apiVersion");
        String kind = Json.text(object, "kind");
        if (!apiVersion.isEmpty() && !apiVersion.equals(type.groupVersion())) {
            throw StatusException.badRequest("the API version in the data (" + apiVersion
                    + ") does not match the expected API version (" + type.groupVersion() + ")");
        }
        if (!kind.isEmpty() && !kind.equals(type.kind())) {
            throw StatusException.badRequest("the kind in the data (" + kind + ") does not match the expected kind ("
                    + type.kind() + ")");
        }
        object.put("kind", type.kind());
        object.put("apiVersion", type.groupVersion());
    }

    private String reconcileNamespace(String namespace, ObjectNode meta) {
        String inBody = Json.text(meta, "namespace");
        if (!type.namespaced()) {
            meta.remove("namespace");
            return "";
        }
        if (namespace == null || namespace.isEmpty()) namespace = inBody.isEmpty() ? "default" : inBody;
        if (!inBody.isEmpty() && !inBody.equals(namespace)) {
            throw StatusException.namespaceMismatch();
        }
        meta.put("namespace", namespace);
        return namespace;
    }

    static String timestamp(Instant t) {
        return Timestamps.seconds(t);
    }

    // ---------------------------------------------------------------- update and patch

    /**
     * Replaces the object (PUT). A metadata.resourceVersion in the body is a precondition (409 Conflict when stale);
     * without one, or with "0", the update is unconditional.
     */
    public StoredObject update(String namespace, String name, ObjectNode object, RequestContext context) {
        checkTypeMeta(object);
        ObjectNode meta = Json.metadata(object);
        String bodyName = Json.text(meta, "name");
        if (!bodyName.equals(name)) {
            throw StatusException.nameMismatch(bodyName, name);
        }
        if (type.namespaced()) {
            String ns = Json.text(meta, "namespace");
            if (!ns.isEmpty() && !ns.equals(namespace)) {
                throw StatusException.namespaceMismatch();
            }
        }
        String precondition = Json.text(meta, "resourceVersion");
        return modify(namespace, name, current -> object.deepCopy(), precondition, context, true);
    }

    /**
     * Applies {@code change} to the current object and stores the result, retrying on concurrent writes unless the
     * changed object names a resourceVersion (then a stale one is a 409 Conflict). Used for PATCH and by controllers.
     */
    public StoredObject patch(String namespace, String name, UnaryOperator<ObjectNode> change, RequestContext context) {
        return modify(namespace, name, change, null, context, false);
    }

    private StoredObject modify(String namespace, String name, UnaryOperator<ObjectNode> change, String precondition,
                                RequestContext context, boolean isUpdate) {
        return modify(namespace, name, change, precondition, context, isUpdate, true);
    }

    /** @param recordUpdate false when the change settles managedFields itself (server-side apply) */
    private StoredObject modify(String namespace, String name, UnaryOperator<ObjectNode> change, String precondition,
                                RequestContext context, boolean isUpdate, boolean recordUpdate) {
        context = context.withOperation(Operation.UPDATE);
        // a scale write changes the parent's spec: a main-resource update, though admitted as the subresource
        String subresource = "scale".equals(context.subresource()) ? null : context.subresource();
        for (int attempt = 0; ; attempt++) {
            KeyValue current = kv.get(key(namespace, name));
            if (current == null) {
                if (isUpdate && subresource == null && strategy.allowCreateOnUpdate()) {
                    ObjectNode created = change.apply(null);
                    Json.metadata(created).remove("resourceVersion");
                    return create(namespace, created, context.withOperation(Operation.CREATE), recordUpdate);
                }
                throw notFound(name);
            }
            // the revision's shared tree: read by every step below, changed by none (the change gets its own copy)
            ObjectNode old = stored(current).tree();
            ObjectNode proposed = change.apply(old.deepCopy());
            if (proposed == null) return stored(current);
            JsonNode requestedManagedFields = Json.metadata(proposed).get("managedFields");
            proposed.put("kind", type.kind()).put("apiVersion", type.groupVersion());
            ObjectNode meta = Json.metadata(proposed);
            String rv = isUpdate ? precondition : Json.text(meta, "resourceVersion");
            if ((rv == null || rv.isEmpty() || rv.equals("0")) && !strategy.allowUnconditionalUpdate()
                    && !"scale".equals(context.subresource())) {
                throw StatusException.invalid(type.group(), type.resource(), name, List.of(FieldError.invalid(
                        FieldPath.of("metadata", "resourceVersion"), new GoLiteral("0x0"),
                        "must be specified for an update").toCause()));
            }
            // "0" is no precondition, as an unset one (the real registry's unconditional update)
            if (rv != null && !rv.isEmpty() && !rv.equals("0") && !rv.equals(Long.toString(current.modRevision()))) {
                throw conflict(name);
            }
            if (!Json.text(meta, "name").equals(name)) {
                throw StatusException.nameMismatch(Json.text(meta, "name"), name);
            }
            checkUid(name, old, proposed, isUpdate);
            ObjectNode updated = proposed;
            try {
                AdmissionAttributes admission;
                if (subresource != null) {
                    updated = strategy.subresourceUpdate(subresource, old, proposed);
                    if (recordUpdate) {
                        // in the Go type's shape, as the real handler decodes the patched object before recording it
                        roundTrip(updated);
                        fieldManager.updateShaped(old, updated, null, manager(context), subresource,
                                registry.clock().instant());
                    } else if (proposed.path("metadata").has("managedFields")) {
                        Json.metadata(updated).set("managedFields", proposed.get("metadata").get("managedFields"));
                    }
                    admission = new AdmissionAttributes(type, namespace, name, updated, old, context);
                    registry.admission().admit(admission);
                    roundTrip(updated);
                } else {
                    updated = mainUpdate(old, proposed);
                    if (recordUpdate) {
                        fieldManager.update(old, updated, requestedManagedFields, manager(context), context.subresource(),
                                registry.clock().instant());
                    }
                    admission = new AdmissionAttributes(type, namespace, name, updated, old, context);
                    registry.admission().admit(admission);
                }
                validate(updated, old, name, subresource == null ? validator : strategy.subresourceValidator(subresource));
                registry.admission().validate(admission);
                // a write that changes nothing is no write: the resourceVersion stays (kubectl's "patched (no change)")
                Json.metadata(updated).put("resourceVersion", Json.text(old.get("metadata"), "resourceVersion"));
                ObjectNode canonical = storageForm(updated);
                ObjectNode stored = converts ? Json.parseObject(current.value()) : stored(current).tree();
                if (canonical.equals(ObjectCodec.canonical(stored))) return stored(current);
                if (context.dryRun()) return view(Json.bytes(canonical), current.modRevision());
                if (Json.metadata(updated).has("deletionTimestamp") && strategy.readyToDelete(updated)
                        && Json.metadata(updated).path("deletionGracePeriodSeconds").asLong(0) == 0) {
                    WriteResult d = kv.delete(current.key(), current.modRevision());
                    if (d.succeeded()) return view(ObjectCodec.encode(canonical, d.revision()), d.revision());
                } else {
                    WriteResult r = kv.put(current.key(), encoder(canonical), current.modRevision());
                    if (r.succeeded()) return stored(r.current());
                }
            } finally {
                strategy.releaseReservations(proposed);
                if (updated != proposed) strategy.releaseReservations(updated);
            }
            // lost a race with another writer: apply the change again to the fresh object (a stale
            // resourceVersion the change itself names is caught at the top of the loop)
            if (attempt > 1000) throw conflict(name);
        }
    }

    /** The result of a server-side apply: the object, and whether the apply created it (201). */
    public record Applied(StoredObject object, boolean created) {
    }

    /**
     * Server-side apply (PATCH with {@code application/apply-patch+yaml}) of {@code config} as the context's field
     * manager: creates the object when it does not exist (not on a subresource), else merges the configuration into
     * it, both through the ordinary create and update paths (defaults, admission, validation, dry-run).
     */
    public Applied apply(String namespace, String name, ObjectNode config, boolean force, RequestContext context) {
        String manager = context.fieldManager();
        for (int attempt = 0; ; attempt++) {
            if (kv.get(key(namespace, name)) == null && context.subresource() == null) {
                ObjectNode created = fieldManager.apply(null, config.deepCopy(), manager, force, null,
                        registry.clock().instant());
                String createdName = Json.text(Json.metadata(created), "name");
                if (!createdName.equals(name)) throw StatusException.nameMismatch(createdName, name);
                try {
                    return new Applied(create(namespace, created, context, false), true);
                } catch (StatusException e) {
                    // created by someone else meanwhile: apply to that object instead
                    if (e.code() != 409 || attempt > 3 || kv.get(key(namespace, name)) == null) throw e;
                    continue;
                }
            }
            String subresource = context.subresource();
            StoredObject updated = modify(namespace, name, live -> fieldManager.apply(live, config.deepCopy(), manager, force,
                    subresource, registry.clock().instant()), null, context, false, false);
            return new Applied(updated, false);
        }
    }

    /** Who a write's managedFields entry names: the request's field manager, else what the real server would. */
    private static String manager(RequestContext context) {
        if (context.fieldManager() != null && !context.fieldManager().isEmpty()) return context.fieldManager();
        return context.user().equals(UserInfo.API_SERVER) ? "kube-apiserver" : "unknown";
    }

    /**
     * Admits a connection to a subresource (pods/exec, attach, portforward, proxy): the object must exist (404) and
     * the admission chain sees a CONNECT of the subresource with the request's options object (PodExecOptions...).
     *
     * @return the object connected to
     */
    public StoredObject connect(String subresource, String namespace, String name, ObjectNode options,
                                RequestContext context) {
        StoredObject target = get(namespace, name);
        AdmissionAttributes admission = new AdmissionAttributes(type, namespace, name, options, target.toNode(),
                context.withSubresource(subresource).withOperation(Operation.CONNECT));
        registry.admission().admit(admission);
        registry.admission().validate(admission);
        return target;
    }

    /** The object's Scale (the scale subresource of Deployments, ReplicaSets, StatefulSets, ReplicationControllers). */
    public ObjectNode getScale(String namespace, String name) {
        if (!type.hasSubresource("scale")) throw StatusException.resourceNotFound();
        return strategy.toScale(get(namespace, name).toNode());
    }

    /**
     * Writes the scale subresource: {@code change} turns the current Scale into the desired one (a resourceVersion in
     * it is a precondition), whose replicas become the object's; retried on concurrent writes like a patch. The write
     * is the parent's update (its generation moves), admitted as the scale subresource.
     *
     * @return the Scale after the write
     */
    public ObjectNode updateScale(String namespace, String name, UnaryOperator<ObjectNode> change, RequestContext context) {
        if (!type.hasSubresource("scale")) throw StatusException.resourceNotFound();
        StoredObject updated = modify(namespace, name,
                parent -> strategy.applyScale(parent, change.apply(strategy.toScale(parent)), type), null,
                context.withSubresource("scale"), false);
        return strategy.toScale(updated.toNode());
    }

    /**
     * A POST to a subresource that acts on the object (pods/binding): the strategy turns the body into a change that
     * is written straight to storage, as the real server's subresource storage writes it (the object's own update
     * rules and validation do not apply). A concurrent write makes the change apply again to the fresh object.
     *
     * @return the object as changed
     */
    public StoredObject createSubresource(String subresource, String namespace, String name, ObjectNode body,
                                          RequestContext context) {
        context = context.withSubresource(subresource).withOperation(Operation.CREATE);
        String bodyNamespace = Json.text(body.path("metadata"), "namespace");
        if (type.namespaced() && !bodyNamespace.isEmpty() && !bodyNamespace.equals(namespace)) {
            throw StatusException.namespaceMismatch();
        }
        // admitted as the real server admits a create of the subresource: its body is the object
        AdmissionAttributes admission = new AdmissionAttributes(type, namespace, name, body, null, context);
        registry.admission().admit(admission);
        registry.admission().validate(admission);
        UnaryOperator<ObjectNode> change = strategy.subresourceAction(subresource, name, body, registry.clock().instant());
        for (int attempt = 0; ; attempt++) {
            KeyValue current = kv.get(key(namespace, name));
            if (current == null) throw notFound(name);
            ObjectNode canonical = storageForm(change.apply(stored(current).toNode()));
            if (context.dryRun()) return view(Json.bytes(canonical), current.modRevision());
            WriteResult r = kv.put(current.key(), encoder(canonical), current.modRevision());
            if (r.succeeded()) return stored(r.current());
            if (attempt > 1000) throw conflict(name);
        }
    }

    /**
     * A uid in the new object must be the stored one's: on PUT it is a precondition (409, as the real server turns
     * it into one), on other changes the field is immutable (422).
     */
    private void checkUid(String name, ObjectNode old, ObjectNode proposed, boolean isUpdate) {
        String oldUid = Json.text(old.get("metadata"), "uid");
        String newUid = Json.text(proposed.get("metadata"), "uid");
        if (newUid.isEmpty() || newUid.equals(oldUid)) return;
        if (isUpdate) {
            throw StatusException.conflict(type.group(), type.resource(), name,
                    "Precondition failed: UID in precondition: " + newUid + ", UID in object meta: " + oldUid);
        }
        throw StatusException.invalid(type.group(), type.kind(), name, List.of(
                FieldError.invalid(FieldPath.of("metadata", "uid"), newUid, "field is immutable").toCause()));
    }

    private StatusException conflict(String name) {
        return StatusException.conflictModified(type.group(), type.resource(), name);
    }

    private static final List<String> SERVER_OWNED_METADATA =
            List.of("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "namespace");

    /**
     * A main-resource update: server-owned metadata stays, status stays when it has its own subresource. {@code old}
     * is the revision's shared tree: nothing of it may end up in {@code proposed} but immutable values.
     */
    private ObjectNode mainUpdate(ObjectNode old, ObjectNode proposed) {
        ObjectNode meta = Json.metadata(proposed);
        ObjectNode oldMeta = Json.metadata(old);
        for (String f : SERVER_OWNED_METADATA) {
            if (oldMeta.has(f)) meta.set(f, oldMeta.get(f)); // scalars: immutable, shared as they are
            else meta.remove(f);
        }
        if (strategy.hasStatusSubresource()) {
            // the stored status, which later steps may change: a copy of the shared tree's, unless proposed has it already
            JsonNode status = old.get("status");
            if (status == null) proposed.remove("status");
            else if (!status.equals(proposed.get("status"))) proposed.set("status", status.deepCopy());
        }
        // as on the real server, the strategy and the generation see the object as decoded: defaulted, in Go's shape
        defaulter.applyOnUpdate(proposed);
        roundTrip(proposed);
        strategy.prepareForUpdate(proposed, old);
        if (strategy.tracksGeneration() && specChanged(old, proposed)) {
            meta.put("generation", oldMeta.path("generation").asLong(1) + 1);
        }
        return proposed;
    }

    /** Whether anything but metadata, status, kind and apiVersion differs (compared in place: no copies per write). */
    private static boolean specChanged(ObjectNode old, ObjectNode proposed) {
        return !sameOutside(old, proposed) || !sameOutside(proposed, old);
    }

    private static final Set<String> NOT_SPEC = Set.of("metadata", "status", "kind", "apiVersion");

    /** Whether every field of {@code a} but {@link #NOT_SPEC}'s is in {@code b}, equal. */
    private static boolean sameOutside(ObjectNode a, ObjectNode b) {
        for (var fields = a.fields(); fields.hasNext(); ) {
            var field = fields.next();
            if (!NOT_SPEC.contains(field.getKey()) && !field.getValue().equals(b.get(field.getKey()))) return false;
        }
        return true;
    }

    // ---------------------------------------------------------------- delete

    public DeleteResult delete(String namespace, String name, DeleteOptions options, RequestContext context) {
        // metav1.DeleteOptions carries its own dryRun; either asks for one
        context = context.withOperation(Operation.DELETE).withDryRun(context.dryRun() || options.dryRun());
        // mutating admission of a delete sees no object (the real handler admits it before storage reads it)
        registry.admission().admit(new AdmissionAttributes(type, namespace, name, null, null, context));
        for (int attempt = 0; ; attempt++) {
            KeyValue current = kv.get(key(namespace, name));
            if (current == null) throw notFound(name);
            ObjectNode obj = stored(current).toNode();
            ObjectNode meta = Json.metadata(obj);
            registry.admission().validate(new AdmissionAttributes(type, namespace, name, null, obj, context));
            checkPreconditions(name, meta, options);
            Instant now = registry.clock().instant();
            // the garbage collector's finalizers, as the options ask, unless the deletion has begun already
            if (!meta.has("deletionTimestamp")) setGarbageCollectionFinalizers(meta, options);
            boolean hasFinalizers = !strategy.readyToDelete(obj);
            // a graceful deletion keeps its grace period even when finalizers also hold the object
            Long grace = strategy.gracefulDeletionSeconds(obj, options.gracePeriodSeconds());
            if (!hasFinalizers && grace == null) {
                if (context.dryRun()) return new DeleteResult(stored(current), true);
                WriteResult r = kv.delete(current.key(), current.modRevision());
                if (r.succeeded()) return new DeleteResult(deletedAt(current, r.revision()), true);
                continue;
            }
            ObjectNode updated = obj.deepCopy();
            ObjectNode um = Json.metadata(updated);
            if (!um.has("deletionTimestamp")) {
                long g = grace == null ? 0 : grace;
                um.put("deletionTimestamp", timestamp(now.plusSeconds(g)));
                um.put("deletionGracePeriodSeconds", g);
                strategy.prepareForGracefulDeletion(updated, now);
            } else if (grace != null && grace < um.path("deletionGracePeriodSeconds").asLong(Long.MAX_VALUE)) {
                um.put("deletionTimestamp", timestamp(now.plusSeconds(grace)));
                um.put("deletionGracePeriodSeconds", grace);
            } else {
                return new DeleteResult(stored(current), false);
            }
            ObjectNode canonical = storageForm(updated);
            if (context.dryRun()) return new DeleteResult(view(Json.bytes(canonical), current.modRevision()), false);
            WriteResult r = kv.put(current.key(), encoder(canonical), current.modRevision());
            if (r.succeeded()) return new DeleteResult(stored(r.current()), false);
            if (attempt > 1000) throw conflict(name);
        }
    }

    static final String ORPHAN_FINALIZER = "orphan";
    static final String FOREGROUND_FINALIZER = "foregroundDeletion";

    /**
     * Puts the garbage collector's finalizers on an object about to be deleted as the real registry's
     * {@code deletionFinalizersForGarbageCollection} does: {@code orphan} when the dependents are to be orphaned,
     * {@code foregroundDeletion} when they are to be deleted first. An explicit propagation policy wins, then a
     * finalizer the object already carries, then the resource's default policy.
     *
     * @return whether the finalizers changed
     */
    private boolean setGarbageCollectionFinalizers(ObjectNode meta, DeleteOptions options) {
        ResourceStrategy.GarbageCollectionPolicy defaultPolicy = strategy.defaultGarbageCollectionPolicy();
        if (defaultPolicy == ResourceStrategy.GarbageCollectionPolicy.UNSUPPORTED) return false;
        List<String> current = new ArrayList<>();
        meta.path("finalizers").forEach(f -> current.add(f.asText()));
        String policy = options.propagationPolicy();
        boolean orphan;
        boolean foreground;
        if (policy != null) {
            orphan = policy.equals("Orphan");
            foreground = policy.equals("Foreground");
        } else if (current.contains(ORPHAN_FINALIZER) || current.contains(FOREGROUND_FINALIZER)) {
            orphan = current.indexOf(ORPHAN_FINALIZER) >= 0
                    && (!current.contains(FOREGROUND_FINALIZER) || current.indexOf(ORPHAN_FINALIZER) < current.indexOf(FOREGROUND_FINALIZER));
            foreground = !orphan;
        } else {
            orphan = defaultPolicy == ResourceStrategy.GarbageCollectionPolicy.ORPHAN_DEPENDENTS;
            foreground = false;
        }
        List<String> wanted = new ArrayList<>();
        for (String f : current) if (!f.equals(ORPHAN_FINALIZER) && !f.equals(FOREGROUND_FINALIZER)) wanted.add(f);
        if (orphan) wanted.add(ORPHAN_FINALIZER);
        if (foreground) wanted.add(FOREGROUND_FINALIZER);
        if (new HashSet<>(wanted).equals(new HashSet<>(current))) return false;
        if (wanted.isEmpty()) {
            meta.remove("finalizers");
        } else {
            var array = meta.putArray("finalizers");
            wanted.forEach(array::add);
        }
        return true;
    }

    /** The deleted object as watchers and DELETE responses show it: its last state at the deletion's revision. */
    private StoredObject deletedAt(KeyValue last, long revision) {
        ObjectNode obj = Json.parseObject(last.value());
        return view(ObjectCodec.encode(obj, revision), revision);
    }

    /**
     * DeleteOptions preconditions, checked as {@code rest.BeforeDelete} checks them (before storage's own check,
     * so its wording wins): a conflict on the kind, e.g. {@code Operation cannot be fulfilled on ConfigMap "x"}.
     */
    private void checkPreconditions(String name, ObjectNode meta, DeleteOptions options) {
        String uid = Json.text(meta, "uid");
        if (options.preconditionUid() != null && !options.preconditionUid().equals(uid)) {
            throw StatusException.conflict(type.group(), type.kind(), name, "the UID in the precondition ("
                    + options.preconditionUid() + ") does not match the UID in record (" + uid
                    + "). The object might have been deleted and then recreated");
        }
        String rv = Json.text(meta, "resourceVersion");
        if (options.preconditionResourceVersion() != null && !options.preconditionResourceVersion().equals(rv)) {
            throw StatusException.conflict(type.group(), type.kind(), name, "the ResourceVersion in the precondition ("
                    + options.preconditionResourceVersion() + ") does not match the ResourceVersion in record (" + rv
                    + "). The object might have been modified");
        }
    }

    /** Deletes every object the list options select; returns what was deleted or marked for deletion. */
    public List<StoredObject> deleteCollection(String namespace, ListOptions listOptions, DeleteOptions options,
                                               RequestContext context) {
        List<StoredObject> out = new ArrayList<>();
        for (StoredObject o : list(namespace, listOptions).items()) {
            ObjectNode m = Json.metadata(o.tree());
            try {
                out.add(delete(Json.text(m, "namespace"), Json.text(m, "name"), options, context).object());
            } catch (StatusException e) {
                if (e.code() != 404) throw e;
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- list

    public ListResult list(String namespace, ListOptions options) {
        Selection selection = Selection.of(strategy.rules().fieldLabels(), options);
        validateListOptions(options, false);
        String from = collectionPrefix(namespace);
        String end = ReadView.prefixEnd(from);
        long revision;
        boolean continuing = options.continueToken() != null && !options.continueToken().isEmpty();
        if (continuing) {
            // storage's ValidateListOptions: the token first, then a resourceVersion beside it
            ContinueToken token = ContinueToken.decode(options.continueToken());
            String rv = options.resourceVersion() == null ? "" : options.resourceVersion();
            if (!rv.isEmpty() && !rv.equals("0")) {
                throw StatusException.badRequest("specifying resource version is not allowed when using continue");
            }
            revision = Math.max(token.revision(), 0);
            String start = prefix + token.startKey();
            if (start.compareTo(from) > 0) from = start;
        } else {
            revision = listRevision(options);
        }
        long limit = options.limit();
        List<StoredObject> items = new ArrayList<>();
        String lastKey = null;
        boolean more = false;
        Long remaining = null;
        try {
            if (selection.isEmpty()) {
                RangeResult r = kv.range(from, end, revision, (int) Math.min(limit, Integer.MAX_VALUE));
                revision = r.revision();
                for (KeyValue v : r.kvs()) items.add(stored(v));
                more = r.more();
                if (!r.kvs().isEmpty()) lastKey = r.kvs().get(r.kvs().size() - 1).key();
                if (more) remaining = r.count() - r.kvs().size();
            } else {
                // As storage's GetList with a predicate: read the range a batch at a time (doubling, as the
                // selector drops objects) until the page is full, so a page costs what it reads, not the range.
                int batch = limit > 0 ? (int) Math.min(limit, SELECTED_BATCH_MAX) : 0;
                String cursor = from;
                while (true) {
                    RangeResult r = kv.range(cursor, end, revision, batch);
                    revision = r.revision();
                    for (KeyValue v : r.kvs()) {
                        if (limit > 0 && items.size() >= limit) {
                            more = true;
                            break;
                        }
                        StoredObject o = stored(v);
                        if (selection.matches(o.tree())) {
                            items.add(o);
                            lastKey = v.key();
                        }
                    }
                    if (more || !r.more()) break;
                    if (limit > 0 && items.size() >= limit) {
                        more = true;
                        break;
                    }
                    cursor = r.kvs().get(r.kvs().size() - 1).key() + "\u0000";
                    batch = (int) Math.min(batch * 2L, SELECTED_BATCH_MAX);
                }
            }
        } catch (CompactedException e) {
            if (options.continueToken() != null && !options.continueToken().isEmpty()) {
                throw StatusException.expired("The provided continue parameter is too old to display a consistent list "
                        + "result. You can start a new list without the continue parameter, or use the continue token in "
                        + "this response to retrieve the remainder of the results. Continuing with the provided token "
                        + "results in an inconsistent list - objects that were created, modified, or deleted between the "
                        + "time the first chunk was returned and now may show up in the list.");
            }
            throw StatusException.tooOldResourceVersion(revision, kv.compactedRevision());
        }
        String token = more && lastKey != null ? new ContinueToken(revision, lastKey.substring(prefix.length()) + "\u0000").encode() : null;
        return new ListResult(type, items, revision, token, remaining);
    }

    /**
     * apimachinery's ValidateListOptions (internalversion/validation): what a list or a watch may combine. Watches
     * are checked as with the WatchList feature on, since sendInitialEvents is served.
     */
    private static void validateListOptions(ListOptions options, boolean watch) {
        String rv = options.resourceVersion() == null ? "" : options.resourceVersion();
        String match = options.resourceVersionMatch() == null ? "" : options.resourceVersionMatch();
        boolean continuing = options.continueToken() != null && !options.continueToken().isEmpty();
        List<Cause> causes = new ArrayList<>();
        FieldPath matchPath = FieldPath.of("resourceVersionMatch");
        if (watch) {
            if (options.sendInitialEvents() != null && !match.equals("NotOlderThan")) {
                causes.add(FieldError.forbidden(matchPath, "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan").toCause());
            }
            if (!match.isEmpty()) {
                if (options.sendInitialEvents() == null) {
                    causes.add(FieldError.forbidden(matchPath, "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided").toCause());
                }
                if (!match.equals("NotOlderThan")) {
                    causes.add(FieldError.notSupported(matchPath, match, List.of("NotOlderThan")).toCause());
                }
                if (continuing) {
                    causes.add(FieldError.forbidden(matchPath, "resourceVersionMatch is forbidden when continue is provided").toCause());
                }
            }
        } else {
            if (!match.isEmpty()) {
                if (rv.isEmpty()) {
                    causes.add(FieldError.forbidden(matchPath, "resourceVersionMatch is forbidden unless resourceVersion is provided").toCause());
                }
                if (continuing) {
                    causes.add(FieldError.forbidden(matchPath, "resourceVersionMatch is forbidden when continue is provided").toCause());
                }
                if (!match.equals("Exact") && !match.equals("NotOlderThan")) {
                    causes.add(FieldError.notSupported(matchPath, match, List.of("Exact", "NotOlderThan", "")).toCause());
                }
                if (match.equals("Exact") && rv.equals("0")) {
                    causes.add(FieldError.forbidden(matchPath, "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"").toCause());
                }
            }
            if (options.sendInitialEvents() != null) {
                causes.add(FieldError.forbidden(FieldPath.of("sendInitialEvents"), "sendInitialEvents is forbidden for list").toCause());
            }
        }
        if (!causes.isEmpty()) throw StatusException.invalid("meta.k8s.io", "ListOptions", "", causes);
    }

    private long listRevision(ListOptions options) {
        String rv = options.resourceVersion();
        long requested = ResourceVersions.forList(rv);
        if (requested == 0) return 0;
        long current = kv.currentRevision();
        if (requested > current) {
            throw new StatusException(504, "Timeout", "Timeout: Too large resource version: " + requested + ", current: " + current,
                    new StatusDetails("", "", "", "", List.of(new Cause("ResourceVersionTooLarge", "Too large resource version", "")), 1));
        }
        return "Exact".equals(options.resourceVersionMatch()) ? requested : 0;
    }

    // ---------------------------------------------------------------- watch

    /**
     * Opens a watch. With resourceVersion "" or "0" it starts with ADDED events for every matching object; with a
     * revision it sends the changes after it (an ERROR event with 410 Expired when that revision is compacted).
     */
    public ResourceWatch watch(String namespace, ListOptions options, Runnable onReady, int bufferLimit) {
        Selection selection = Selection.of(strategy.rules().fieldLabels(), options);
        validateListOptions(options, true);
        String rv = options.resourceVersion() == null ? "" : options.resourceVersion();
        long requested = ResourceVersions.forGetOrWatch(rv);
        boolean initialEvents = options.sendInitialEvents() != null ? options.sendInitialEvents() : (rv.isEmpty() || rv.equals("0"));
        String keyPrefix = collectionPrefix(namespace);
        long after;
        List<StoredObject> initial = List.of();
        if (initialEvents) {
            RangeResult r = kv.range(keyPrefix, ReadView.prefixEnd(keyPrefix), 0, 0);
            after = r.revision();
            initial = new ArrayList<>(r.kvs().size());
            for (KeyValue v : r.kvs()) initial.add(stored(v));
        } else {
            after = requested;
        }
        return new ResourceWatch(this, kv, keyPrefix, after, initial, selection, onReady, bufferLimit,
                options.allowBookmarks() && Boolean.TRUE.equals(options.sendInitialEvents()));
    }

    StoredObject storedFor(KeyValue v) {
        return stored(v);
    }

    StoredObject deletedFor(KeyValue prev, long revision) {
        return deletedAt(prev, revision);
    }

    /**
     * The object a delete event shows, made once for all the event's watchers: kept on the event's tombstone (shared
     * by every watcher of the key, and holding no value of its own to decode), weakly, since the tombstone stays in
     * the key's history until compaction and the object is wanted only while the event is sent.
     */
    StoredObject deletedBy(Event delete) {
        KeyValue tombstone = delete.kv();
        if (tombstone.decoded() instanceof WeakReference<?> ref && ref.get() instanceof StoredObject s && s.type() == type) {
            return s;
        }
        StoredObject s = deletedAt(delete.prevKv(), delete.revision());
        tombstone.decoded(new WeakReference<>(s));
        return s;
    }

    public long currentRevision() {
        return kv.currentRevision();
    }

    long deliveredRevision() {
        return kv.deliveredRevision();
    }




}
