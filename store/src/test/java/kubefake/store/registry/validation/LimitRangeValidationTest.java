package kubefake.store.registry.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.request.RequestContext;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** LimitRanges created through the registry: each of ValidateLimitRange's refusals with the real wording. */
class LimitRangeValidationTest {
    private final Registry registry = new Registry(new MemoryKeyValueStore(), Clock.fixed(Instant.parse("2026-12-06T10:00:30Z"),
            ZoneOffset.UTC), ResourceCatalogue.builtIn());
    private final ResourceStore ranges = registry.resource("", "limitranges");

    LimitRangeValidationTest() {
        registry.resource("", "namespaces").create("", parse("{'apiVersion':'v1','kind':'Namespace','metadata':{'name':'lab'}}"),
                RequestContext.LOOPBACK);
    }

    private static ObjectNode parse(String json) {
        return Json.parseObject(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode range(String limits) {
        return parse("{'apiVersion':'v1','kind':'LimitRange','metadata':{'name':'limits'},'spec':{'limits':[" + limits + "]}}");
    }

    private String refused(String limits) {
        StatusException e = assertThrows(StatusException.class, () -> ranges.create("lab", range(limits), RequestContext.LOOPBACK));
        assertEquals(422, e.code());
        return e.getMessage();
    }

    /** Go's %#v of a Quantity parsed from canonical text. */
    private static String q(long value, int scale, String text, String format) {
        return "resource.Quantity{i:resource.int64Amount{value:" + value + ", scale:" + scale + "}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)},"
                + " s:\"" + text + "\", Format:\"" + format + "\"}";
    }

    @Test
    void aValueThatIsNoQuantityIsABadRequestAsTheTypedDecodingsRefusal() {
        StatusException e = assertThrows(StatusException.class, () -> ranges.create("lab",
                range("{'type':'Container','default':{'cpu':true}}"), RequestContext.LOOPBACK));
        assertEquals(400, e.code());
        assertEquals("LimitRange in version \"v1\" cannot be handled as a LimitRange: " + Quantity.PARSE_ERROR, e.getMessage());
    }

    @Test
    void aConsistentRangeIsStoredWithItsDefaults() {
        ObjectNode stored = ranges.create("lab", range("{'type':'Container','min':{'cpu':'100m'},'max':{'cpu':'2','memory':'1Gi'},"
                + "'defaultRequest':{'cpu':'500m'},'maxLimitRequestRatio':{'cpu':'4'}},{'type':'Pod','max':{'cpu':'4'}},"
                + "{'type':'PersistentVolumeClaim','max':{'storage':'10Gi'}}"), RequestContext.LOOPBACK).toNode();
        assertEquals(parse("{'cpu':'2','memory':'1Gi'}"), stored.path("spec").path("limits").get(0).path("default"));
    }

    @Test
    void minAboveMaxIsRefusedForEveryBoundItBreaks() {
        // max 1 becomes the default limit and the default request: all three comparisons with min fail
        assertEquals("LimitRange \"limits\" is invalid: [spec.limits[0].min[cpu]: Invalid value: " + q(2, 0, "2", "DecimalSI")
                + ": min value 2 is greater than max value 1, spec.limits[0].defaultRequest[cpu]: Invalid value: " + q(1, 0, "1", "DecimalSI")
                + ": min value 2 is greater than default request value 1, spec.limits[0].default[cpu]: Invalid value: "
                + q(2, 0, "2", "DecimalSI") + ": min value 2 is greater than default value 1]",
                refused("{'type':'Container','min':{'cpu':'2'},'max':{'cpu':'1'}}"));
    }

    @Test
    void defaultsOutsideTheBoundsAreRefused() {
        // 512Mi and 128Mi are multiples of 8 Mi: Go's parser keeps no string for them (s:"")
        assertEquals("LimitRange \"limits\" is invalid: [spec.limits[0].defaultRequest[memory]: Invalid value: "
                + q(536870912, 0, "", "BinarySI") + ": default request value 512Mi is greater than max value 128Mi,"
                + " spec.limits[0].defaultRequest[memory]: Invalid value: " + q(536870912, 0, "", "BinarySI")
                + ": default request value 512Mi is greater than default limit value 256Mi,"
                + " spec.limits[0].default[memory]: Invalid value: " + q(134217728, 0, "", "BinarySI")
                + ": default value 256Mi is greater than max value 128Mi]",
                refused("{'type':'Container','max':{'memory':'128Mi'},'default':{'memory':'256Mi'},'defaultRequest':{'memory':'512Mi'}}"));
        assertEquals("LimitRange \"limits\" is invalid: spec.limits[0].defaultRequest[cpu]: Invalid value: " + q(3, 0, "3", "DecimalSI")
                + ": default request value 3 is greater than default limit value 2",
                refused("{'type':'Container','default':{'cpu':'2'},'defaultRequest':{'cpu':'3'}}"));
    }

    @Test
    void theLimitToRequestRatioIsAtLeastOneAndAtMostMaxOverMin() {
        assertEquals("LimitRange \"limits\" is invalid: spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: "
                + q(500, -3, "500m", "DecimalSI") + ": ratio 500m is less than 1",
                refused("{'type':'Container','maxLimitRequestRatio':{'cpu':'500m'}}"));
        assertEquals("LimitRange \"limits\" is invalid: spec.limits[0].maxLimitRequestRatio[memory]: Invalid value: "
                + q(3, 0, "3", "DecimalSI") + ": ratio 3 is greater than max/min = 2.000000",
                refused("{'type':'Pod','min':{'memory':'1Gi'},'max':{'memory':'2Gi'},'maxLimitRequestRatio':{'memory':'3'}}"));
    }

    @Test
    void typesAreStandardOrQualifiedAndAppearOnce() {
        assertEquals("LimitRange \"limits\" is invalid: spec.limits[1].type: Duplicate value: \"Container\"",
                refused("{'type':'Container','max':{'cpu':'1'}},{'type':'Container','max':{'memory':'1Gi'}}"));
        assertEquals("LimitRange \"limits\" is invalid: spec.limits[0].type: Invalid value: \"Node\": must be a standard limit type"
                + " or fully qualified", refused("{'type':'Node','max':{'cpu':'1'}}"));
    }

    @Test
    void eachTypeLimitsOnlyItsOwnResources() {
        // the max is also the defaults the item is given, each refused in turn
        assertEquals("LimitRange \"limits\" is invalid: [spec.limits[0].max[storage]: Invalid value: \"storage\": must be a standard"
                + " resource for containers, spec.limits[0].default[storage]: Invalid value: \"storage\": must be a standard resource for"
                + " containers, spec.limits[0].defaultRequest[storage]: Invalid value: \"storage\": must be a standard resource for"
                + " containers]", refused("{'type':'Container','max':{'storage':'1Gi'}}"));
        assertEquals("LimitRange \"limits\" is invalid: [spec.limits[0].max[gpu]: Invalid value: \"gpu\": must be a standard resource"
                + " type or fully qualified, spec.limits[0].max[gpu]: Invalid value: \"gpu\": must be a standard resource for containers]",
                refused("{'type':'Pod','max':{'gpu':'1'}}"));
        assertEquals("LimitRange \"limits\" is invalid: [spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod',"
                + " spec.limits[0].defaultRequest: Forbidden: may not be specified when `type` is 'Pod']",
                refused("{'type':'Pod','default':{'cpu':'1'},'defaultRequest':{'cpu':'1'}}"));
        assertEquals("LimitRange \"limits\" is invalid: spec.limits[0].limits: Required value: either minimum or maximum storage value"
                + " is required, but neither was provided", refused("{'type':'PersistentVolumeClaim','max':{'cpu':'1'}}"));
    }

    @Test
    void extendedResourcesMayNotBeOvercommittedByDefault() {
        assertEquals("LimitRange \"limits\" is invalid: spec.limits[0].defaultRequest[example.com/gpu]: Invalid value: "
                + q(1, 0, "1", "DecimalSI") + ": default value 2 must equal to defaultRequest value 1 in example.com/gpu",
                refused("{'type':'Container','default':{'example.com/gpu':'2'},'defaultRequest':{'example.com/gpu':'1'}}"));
    }
}
