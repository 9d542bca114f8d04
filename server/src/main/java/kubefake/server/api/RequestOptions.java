package kubefake.server.api;

import kubefake.server.http.ApiRequest;
import kubefake.server.printers.Tables;
import kubefake.store.registry.DeleteOptions;
import kubefake.store.registry.request.Operation;
import kubefake.store.registry.request.RequestContext;
import kubefake.store.registry.ListOptions;
import kubefake.store.registry.ResourceVersions;
import kubefake.store.registry.errors.Cause;
import kubefake.store.registry.errors.FieldError;
import kubefake.store.registry.errors.FieldPath;
import kubefake.store.registry.errors.GoFormat;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.fieldvalidation.FieldValidation.Directive;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The options of a resource request (metav1 ListOptions, GetOptions, CreateOptions, UpdateOptions, PatchOptions,
 * DeleteOptions, TableOptions) read from its query exactly as the real server's {@code ParameterCodec} reads them
 * (apimachinery's {@code runtime/conversion.go} and the generated {@code url.Values} conversions), then checked as
 * {@code meta/v1/validation} checks them. Every handler takes its options from here.
 *
 * <ul>
 *   <li>Booleans: absent is false; present, only {@code 0} and {@code false} (any case) are false, anything else
 *       (even an empty value or {@code True}) is true. No boolean value is refused.</li>
 *   <li>Integers: {@code strconv.ParseInt}; a malformed one is a 400 with Go's error text.</li>
 *   <li>Strings: the first value; lists ({@code dryRun}): every value.</li>
 *   <li>Invalid combinations and values: 422 {@code <Kind>Options.meta.k8s.io "" is invalid: ...}.</li>
 * </ul>
 */
final class RequestOptions {
    /** {@code validation.FieldManagerMaxLength}. */
    private static final int FIELD_MANAGER_MAX_LENGTH = 128;
    private static final List<String> PROPAGATION_POLICIES = List.of("Foreground", "Background", "Orphan");
    /** What ValidateDeleteOptions lists as supported: the policies and "nil" (none given). */
    private static final List<String> PROPAGATION_SUPPORTED = List.of("Foreground", "Background", "Orphan", "nil");

    private RequestOptions() {
    }

    /**
     * A create, update or patch's request context (the authenticated user, the operation, the query's dryRun and
     * fieldManager) with the field validation directive it asked for.
     */
    record Write(RequestContext context, Directive fieldValidation, boolean force) {
    }

    /**
     * Whether a GET of a collection is a watch ({@code RequestInfoFactory}): {@code watch} decoded as a boolean,
     * so {@code ?watch=True} (the Python client) and {@code ?watch=1} open a stream.
     */
    static boolean watch(ApiRequest req) {
        return bool(req, "watch");
    }

    static ListOptions list(ApiRequest req) {
        Long timeout = optionalInt64(req, "timeoutSeconds");
        return new ListOptions(string(req, "labelSelector"), string(req, "fieldSelector"),
                string(req, "resourceVersion"), string(req, "resourceVersionMatch"), Math.max(int64(req, "limit"), 0),
                optionalString(req, "continue"), timeout == null ? 0 : timeout, bool(req, "allowWatchBookmarks"),
                optionalBool(req, "sendInitialEvents"));
    }

    /** GetOptions' resourceVersion, checked as the watch cache parses it. */
    static void checkGet(ApiRequest req) {
        ResourceVersions.forGetOrWatch(string(req, "resourceVersion"));
    }

    /** TableOptions' includeObject: None, Metadata (the default) or Object. */
    static Tables.IncludeObject includeObject(ApiRequest req) {
        String value = string(req, "includeObject");
        try {
            return Tables.IncludeObject.parse(value);
        } catch (IllegalArgumentException e) {
            throw StatusException.badRequest(e.getMessage());
        }
    }

    /** CreateOptions ({@code ValidateCreateOptions}). */
    static Write create(ApiRequest req) {
        return write(req, "CreateOptions", Operation.CREATE, null, false, false);
    }

    /** UpdateOptions ({@code ValidateUpdateOptions}); {@code subresource} as in {@link RequestContext}. */
    static Write update(ApiRequest req, String subresource) {
        return write(req, "UpdateOptions", Operation.UPDATE, subresource, false, false);
    }

    /** PatchOptions ({@code ValidatePatchOptions} of a non-apply patch: {@code force} may not be given). */
    static Write patch(ApiRequest req, String subresource) {
        return write(req, "PatchOptions", Operation.UPDATE, subresource, true, false);
    }

    /** PatchOptions of a server-side apply ({@code ValidatePatchOptions}: {@code fieldManager} is required). */
    static Write apply(ApiRequest req, String subresource) {
        return write(req, "PatchOptions", Operation.UPDATE, subresource, true, true);
    }

    private static Write write(ApiRequest req, String kind, Operation operation, String subresource, boolean patch,
                               boolean apply) {
        List<String> dryRun = values(req, "dryRun");
        String fieldManager = string(req, "fieldManager");
        String fieldValidation = string(req, "fieldValidation");
        List<Cause> causes = new ArrayList<>();
        Boolean force = optionalBool(req, "force");
        if (patch && !apply && force != null) {
            causes.add(FieldError.forbidden(FieldPath.of("force"), "may not be specified for non-apply patch").toCause());
        }
        if (apply && fieldManager.isEmpty()) {
            // kubectl defaults it to "kubectl"; other clients must name themselves
            causes.add(FieldError.required(FieldPath.of("fieldManager"), "is required for apply patch").toCause());
        }
        causes.addAll(fieldManager(fieldManager));
        causes.addAll(dryRun(dryRun));
        Directive directive = Directive.fromQuery(fieldValidation);
        if (directive == null) {
            causes.add(FieldError.notSupported(FieldPath.of("fieldValidation"), fieldValidation,
                    List.of("", "Ignore", "Strict", "Warn")).toCause());
        }
        if (!causes.isEmpty()) throw StatusException.invalid("meta.k8s.io", kind, "", causes);
        String manager = fieldManager.isEmpty() ? prefixFromUserAgent(req.header("User-Agent")) : fieldManager;
        RequestContext context = new RequestContext(req.user(), operation, manager.isEmpty() ? null : manager,
                !dryRun.isEmpty(), subresource, req.warnings());
        return new Write(context, directive, Boolean.TRUE.equals(force));
    }

    /**
     * DeleteOptions: from the body when there is one (then the query is not read at all, as in the real
     * {@code DeleteResource}), else from the query; then {@code ValidateDeleteOptions}.
     */
    static DeleteOptions delete(ApiRequest req) {
        DeleteOptionsBody.Fields f = req.body().length > 0
                ? DeleteOptionsBody.decode(req.header("Content-Type"), req.body())
                : new DeleteOptionsBody.Fields(optionalInt64(req, "gracePeriodSeconds"), null, null,
                optionalBool(req, "orphanDependents"), optionalString(req, "propagationPolicy"), values(req, "dryRun"));
        List<Cause> causes = new ArrayList<>();
        if (f.orphanDependents() != null && f.propagationPolicy() != null) {
            causes.add(FieldError.invalid(FieldPath.of("propagationPolicy"), f.propagationPolicy(),
                    "orphanDependents and deletionPropagation cannot be both set").toCause());
        }
        if (f.propagationPolicy() != null && !PROPAGATION_POLICIES.contains(f.propagationPolicy())) {
            causes.add(FieldError.notSupported(FieldPath.of("propagationPolicy"), f.propagationPolicy(),
                    PROPAGATION_SUPPORTED).toCause());
        }
        causes.addAll(dryRun(f.dryRun()));
        if (!causes.isEmpty()) throw StatusException.invalid("meta.k8s.io", "DeleteOptions", "", causes);
        String propagation = f.propagationPolicy();
        if (propagation == null && Boolean.TRUE.equals(f.orphanDependents())) propagation = "Orphan";
        // rest.BeforeDelete: a negative grace period means one second
        Long grace = f.gracePeriodSeconds() != null && f.gracePeriodSeconds() < 0 ? Long.valueOf(1) : f.gracePeriodSeconds();
        return new DeleteOptions(grace, f.preconditionUid(), f.preconditionResourceVersion(), propagation,
                !f.dryRun().isEmpty());
    }

    // ---- validation shared by the options kinds

    /** {@code ValidateDryRun}: every value must be All. */
    private static List<Cause> dryRun(List<String> dryRun) {
        for (String v : dryRun) {
            if (!v.equals("All")) {
                return List.of(FieldError.notSupported(FieldPath.of("dryRun"), dryRun, List.of("All")).toCause());
            }
        }
        return List.of();
    }

    /** {@code ValidateFieldManager}: at most 128 bytes, printable characters only. */
    private static List<Cause> fieldManager(String fieldManager) {
        List<Cause> causes = new ArrayList<>();
        FieldPath path = FieldPath.of("fieldManager");
        if (fieldManager.getBytes(StandardCharsets.UTF_8).length > FIELD_MANAGER_MAX_LENGTH) {
            causes.add(FieldError.tooLong(path, FIELD_MANAGER_MAX_LENGTH).toCause());
        }
        int bytePosition = 0;
        for (int i = 0; i < fieldManager.length(); ) {
            int cp = fieldManager.codePointAt(i);
            if (!GoFormat.isPrint(cp)) {
                causes.add(FieldError.invalid(path, fieldManager, "invalid character " + goUnicode(cp)
                        + " (at position " + bytePosition + ")").toCause());
            }
            bytePosition += new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            i += Character.charCount(cp);
        }
        return causes;
    }

    /**
     * The manager of a write that names none: the User-Agent up to its first {@code /}, printable characters only,
     * cut at 128 bytes ({@code kubectl/v1.33.1 (linux/amd64) ...} is {@code kubectl}), as the real handlers derive it.
     */
    static String prefixFromUserAgent(String userAgent) {
        if (userAgent == null) return "";
        int slash = userAgent.indexOf('/');
        String prefix = slash >= 0 ? userAgent.substring(0, slash) : userAgent;
        StringBuilder b = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < prefix.length(); ) {
            int cp = prefix.codePointAt(i);
            i += Character.charCount(cp);
            if (!GoFormat.isPrint(cp)) continue;
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + len > FIELD_MANAGER_MAX_LENGTH) break;
            b.appendCodePoint(cp);
            bytes += len;
        }
        return b.toString();
    }

    /** Go's {@code %#U}: {@code U+0007}, with the character quoted when printable. */
    private static String goUnicode(int cp) {
        String hex = String.format("U+%04X", cp);
        return GoFormat.isPrint(cp) ? hex + " '" + new String(Character.toChars(cp)) + "'" : hex;
    }

    // ---- the url.Values conversions of runtime/conversion.go

    /** {@code pods/log}'s PodLogOptions (not yet validated: that needs the pod's name). */
    static kubefake.server.streams.PodLogOptions podLog(ApiRequest req) {
        return new kubefake.server.streams.PodLogOptions(string(req, "container"), bool(req, "follow"),
                bool(req, "previous"), bool(req, "timestamps"), optionalInt64(req, "tailLines"),
                optionalInt64(req, "sinceSeconds"), optionalTime(req, "sinceTime"), optionalInt64(req, "limitBytes"));
    }

    /** {@code pods/exec}'s PodExecOptions and {@code pods/attach}'s PodAttachOptions (no command). */
    static kubefake.server.streams.ExecOptions exec(ApiRequest req) {
        return new kubefake.server.streams.ExecOptions(string(req, "container"), values(req, "command"), bool(req, "stdin"),
                bool(req, "stdout"), bool(req, "stderr"), bool(req, "tty"));
    }

    /** {@code Convert_Slice_string_To_Pointer_v1_Time}: RFC 3339, 400 with Go's parse error otherwise. */
    private static java.time.Instant optionalTime(ApiRequest req, String name) {
        String v = optionalString(req, name);
        if (v == null || v.isEmpty()) return null;
        try {
            return java.time.OffsetDateTime.parse(v).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw StatusException.badRequest("parsing time " + GoFormat.quote(v) + " as \"2006-01-02T15:04:05Z07:00\": cannot parse "
                    + GoFormat.quote(v) + " as \"2006\"");
        }
    }

    private static List<String> values(ApiRequest req, String name) {
        List<String> v = req.query().get(name);
        return v == null ? List.of() : v;
    }

    /** {@code Convert_Slice_string_To_string}: the first value, "" when absent. */
    private static String string(ApiRequest req, String name) {
        List<String> v = values(req, name);
        return v.isEmpty() ? "" : v.get(0);
    }

    private static String optionalString(ApiRequest req, String name) {
        List<String> v = values(req, name);
        return v.isEmpty() ? null : v.get(0);
    }

    /** {@code Convert_Slice_string_To_bool}. */
    static boolean bool(ApiRequest req, String name) {
        Boolean b = optionalBool(req, name);
        return b != null && b;
    }

    /** {@code Convert_Slice_string_To_Pointer_bool}: null when absent. */
    private static Boolean optionalBool(ApiRequest req, String name) {
        List<String> v = values(req, name);
        if (v.isEmpty()) return null;
        String first = v.get(0);
        return !(first.equals("0") || first.equalsIgnoreCase("false"));
    }

    /** {@code Convert_Slice_string_To_int64}: 0 when absent. */
    private static long int64(ApiRequest req, String name) {
        Long v = optionalInt64(req, name);
        return v == null ? 0 : v;
    }

    /** {@code Convert_Slice_string_To_Pointer_int64}: null when absent, 400 with {@code strconv.ParseInt}'s error. */
    private static Long optionalInt64(ApiRequest req, String name) {
        List<String> v = values(req, name);
        if (v.isEmpty()) return null;
        return parseInt64(v.get(0));
    }

    /** Go's {@code strconv.ParseInt(s, 10, 64)}. */
    static long parseInt64(String s) {
        String digits = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
        boolean syntax = !digits.isEmpty();
        for (int i = 0; i < digits.length() && syntax; i++) {
            syntax = digits.charAt(i) >= '0' && digits.charAt(i) <= '9';
        }
        if (!syntax) throw StatusException.badRequest("strconv.ParseInt: parsing " + GoFormat.quote(s) + ": invalid syntax");
        BigInteger value = new BigInteger(s.startsWith("+") ? digits : s);
        if (value.bitLength() > 63) {
            throw StatusException.badRequest("strconv.ParseInt: parsing " + GoFormat.quote(s) + ": value out of range");
        }
        return value.longValue();
    }
}
