package kubefake.server.api;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import kubefake.store.registry.request.Operation;
import kubefake.store.registry.request.UserInfo;
import kubefake.server.http.ApiRequest;
import kubefake.server.http.RequestTarget;
import kubefake.store.registry.DeleteOptions;
import kubefake.store.registry.ListOptions;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.fieldvalidation.FieldValidation.Directive;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Query options decoded as apimachinery's url.Values conversions decode them. */
class RequestOptionsTest {

    private static ApiRequest get(String query) throws Exception {
        RequestTarget t = RequestTarget.parse("/api/v1/namespaces/x/configmaps?" + query);
        return new ApiRequest(HttpMethod.GET, t.path(), t.query(), new DefaultHttpHeaders(), new byte[0], UserInfo.ANONYMOUS);
    }

    @Test
    void booleansAreFalseOnlyForZeroAndFalseInAnyCase() throws Exception {
        for (String yes : new String[] {"true", "True", "TRUE", "t", "1", "yes", "2", ""}) {
            assertTrue(RequestOptions.watch(get("watch=" + yes)), yes);
            assertTrue(RequestOptions.list(get("allowWatchBookmarks=" + yes)).allowBookmarks(), yes);
            assertEquals(Boolean.TRUE, RequestOptions.list(get("sendInitialEvents=" + yes)).sendInitialEvents(), yes);
        }
        for (String no : new String[] {"false", "False", "FALSE", "fAlSe", "0"}) {
            assertFalse(RequestOptions.watch(get("watch=" + no)), no);
            assertEquals(Boolean.FALSE, RequestOptions.list(get("sendInitialEvents=" + no)).sendInitialEvents(), no);
        }
        assertFalse(RequestOptions.watch(get("")));
        assertNull(RequestOptions.list(get("")).sendInitialEvents());
        assertTrue(RequestOptions.watch(get("watch")), "a key without a value is the empty string: true");
        assertFalse(RequestOptions.watch(get("watch=0&watch=1")), "the first value counts");
    }

    @Test
    void integersAreParseIntWithGoErrors() throws Exception {
        assertEquals(5, RequestOptions.list(get("limit=%2B5")).limit());
        assertEquals(0, RequestOptions.list(get("limit=-3")).limit(), "a negative limit means no limit");
        assertEquals(-9223372036854775808L, RequestOptions.parseInt64("-9223372036854775808"));
        StatusException range = assertThrows(StatusException.class, () -> RequestOptions.parseInt64("9223372036854775808"));
        assertEquals("strconv.ParseInt: parsing \"9223372036854775808\": value out of range", range.getMessage());
        for (String bad : new String[] {"", "+", "-", "1_000", "0x10", " 1", "1e3", "١"}) {
            StatusException e = assertThrows(StatusException.class, () -> RequestOptions.parseInt64(bad), bad);
            assertEquals(400, e.code());
            assertTrue(e.getMessage().endsWith(": invalid syntax"), e.getMessage());
        }
        assertEquals("strconv.ParseInt: parsing \"\\t\": invalid syntax",
                assertThrows(StatusException.class, () -> RequestOptions.parseInt64("\t")).getMessage());
    }

    @Test
    void listOptionsAreReadAsGiven() throws Exception {
        ListOptions o = RequestOptions.list(get("labelSelector=a%3Db&fieldSelector=metadata.name%3Dx&resourceVersion=5"
                + "&resourceVersionMatch=NotOlderThan&limit=2&continue=tok&timeoutSeconds=7"));
        assertEquals(new ListOptions("a=b", "metadata.name=x", "5", "NotOlderThan", 2, "tok", 7, false, null), o);
    }

    @Test
    void writeOptions() throws Exception {
        RequestOptions.Write w = RequestOptions.create(get("dryRun=All&fieldManager=kubectl-edit&fieldValidation=Strict"));
        assertTrue(w.context().dryRun());
        assertEquals("kubectl-edit", w.context().fieldManager());
        assertEquals(Directive.STRICT, w.fieldValidation());
        assertEquals(UserInfo.ANONYMOUS, w.context().user(), "the authenticated user travels with the write");
        assertEquals(Operation.CREATE, w.context().operation());
        assertNull(w.context().subresource());
        RequestOptions.Write plain = RequestOptions.update(get(""), "status");
        assertFalse(plain.context().dryRun());
        assertNull(plain.context().fieldManager());
        assertEquals("status", plain.context().subresource());
        assertEquals(Operation.UPDATE, plain.context().operation());
        assertEquals(Operation.UPDATE, RequestOptions.patch(get(""), null).context().operation(), "a patch is admitted as an update");
        assertEquals(Directive.WARN, plain.fieldValidation());
        assertEquals(RequestOptions.patch(get("fieldManager=" + "é".repeat(64)), null).context().fieldManager(), "é".repeat(64),
                "128 bytes is the limit");
        StatusException tooLong = assertThrows(StatusException.class, () -> RequestOptions.patch(get("fieldManager=a" + "é".repeat(64)), null));
        assertEquals("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Too long: may not be more than 128 bytes", tooLong.getMessage());
        StatusException unprintable = assertThrows(StatusException.class, () -> RequestOptions.create(get("fieldManager=%C3%A9%E2%80%8B")));
        assertEquals("CreateOptions.meta.k8s.io \"\" is invalid: fieldManager: Invalid value: \"é\\u200b\": "
                + "invalid character U+200B (at position 2)", unprintable.getMessage());
    }

    @Test
    void deleteOptionsFromTheQuery() throws Exception {
        DeleteOptions d = RequestOptions.delete(get("gracePeriodSeconds=-5&orphanDependents=true&dryRun=All"));
        assertEquals(1L, d.gracePeriodSeconds(), "a negative grace period is one second (rest.BeforeDelete)");
        assertEquals("Orphan", d.propagationPolicy());
        assertTrue(d.dryRun());
        assertEquals(DeleteOptions.DEFAULT, RequestOptions.delete(get("")));
        assertNull(RequestOptions.delete(get("orphanDependents=false")).propagationPolicy());
    }
}
