package kubefake.store.registry.cel.library;

import kubefake.store.registry.cel.CelCompileException;
import kubefake.store.registry.cel.CelEnvironment;
import kubefake.store.registry.cel.CelEvaluationError;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The Kubernetes CEL libraries as an expression sees them: values, and the errors the real server quotes. */
class KubernetesLibrariesTest {
    private static final CelEnvironment ENV = CelEnvironment.of(Map.of(), null);

    private static Object eval(String expression) throws Exception {
        return ENV.compile(expression).evaluate(Map.of());
    }

    private static String error(String expression) throws Exception {
        return assertThrows(CelEvaluationError.class, () -> eval(expression)).getMessage();
    }

    @Test
    void quantities() throws Exception {
        assertEquals(true, eval("quantity('1k') == quantity('1000')"));
        assertEquals(true, eval("quantity('1Gi').isGreaterThan(quantity('1G'))"));
        assertEquals(true, eval("quantity('500m').isLessThan(quantity('1'))"));
        assertEquals(-1L, eval("quantity('500m').compareTo(quantity('1'))"));
        assertEquals(1L, eval("sign(quantity('2'))"));
        assertEquals(-1L, eval("sign(quantity('-2'))"));
        assertEquals(true, eval("isQuantity('1.5Gi')"));
        assertEquals(false, eval("isQuantity('1.5Gb')"));
        assertEquals(2048L, eval("quantity('2Ki').asInteger()"));
        assertEquals(1L, eval("quantity('1000m').asInteger()"));
        assertEquals(false, eval("quantity('1500m').isInteger()"));
        assertEquals(1.5, eval("quantity('1500m').asApproximateFloat()"));
        assertEquals(true, eval("quantity('1').add(quantity('500m')) == quantity('1.5')"));
        assertEquals(true, eval("quantity('1').add(2) == quantity('3')"));
        assertEquals(true, eval("quantity('1Gi').sub(quantity('512Mi')) == quantity('512Mi')"));
        assertEquals(true, eval("quantity('10').sub(3) == quantity('7')"));
        assertEquals("cannot convert value to integer", error("quantity('1500m').asInteger()"));
        assertEquals("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
                error("quantity('abc')"));
    }

    @Test
    void urls() throws Exception {
        assertEquals("https", eval("url('https://example.com:8080/a/b?x=1&x=2&y').getScheme()"));
        assertEquals("example.com:8080", eval("url('https://example.com:8080/a/b?x=1').getHost()"));
        assertEquals("example.com", eval("url('https://example.com:8080/a/b').getHostname()"));
        assertEquals("8080", eval("url('https://example.com:8080/a/b').getPort()"));
        assertEquals("", eval("url('https://example.com/a').getPort()"));
        assertEquals("::1", eval("url('https://[::1]:80/').getHostname()"));
        assertEquals("/a/b", eval("url('https://example.com:8080/a/b?x=1#frag').getEscapedPath()"));
        assertEquals(Map.of("x", List.of("1", "2"), "y", List.of("")), eval("url('https://example.com/?x=1&x=2&y').getQuery()"));
        assertEquals(Map.of("a b", List.of("c+d")), eval("url('https://example.com/?a+b=c%2Bd').getQuery()"));
        assertEquals("/path", eval("url('/path').getEscapedPath()"));
        assertEquals(true, eval("isURL('https://example.com')"));
        assertEquals(false, eval("isURL('example.com')"));
        assertEquals(false, eval("isURL('https://example.com:port')"));
        assertEquals("URL parse error during conversion from string: parse \"example.com\": invalid URI for request",
                error("url('example.com')"));
        assertEquals("URL parse error during conversion from string: parse \":foo\": missing protocol scheme",
                error("url(':foo')"));
        assertEquals("URL parse error during conversion from string: parse \"https://h:x/\": invalid port \":x\" after host",
                error("url('https://h:x/')"));
    }

    @Test
    void ips() throws Exception {
        assertEquals(4L, eval("ip('10.0.0.1').family()"));
        assertEquals(6L, eval("ip('::1').family()"));
        assertEquals(true, eval("ip('127.0.0.1').isLoopback() && ip('::1').isLoopback()"));
        assertEquals(true, eval("ip('0.0.0.0').isUnspecified() && ip('::').isUnspecified()"));
        assertEquals(true, eval("ip('224.0.0.1').isLinkLocalMulticast() && ip('ff02::1').isLinkLocalMulticast()"));
        assertEquals(false, eval("ip('224.0.1.1').isLinkLocalMulticast()"));
        assertEquals(true, eval("ip('169.254.169.254').isLinkLocalUnicast() && ip('fe80::1').isLinkLocalUnicast()"));
        assertEquals(true, eval("ip('192.168.0.1').isGlobalUnicast() && ip('2001:db8::abcd').isGlobalUnicast()"));
        assertEquals(false, eval("ip('255.255.255.255').isGlobalUnicast() || ip('ff00::1').isGlobalUnicast()"));
        assertEquals("2001:db8::1", eval("string(ip('2001:DB8:0:0:0:0:0:1'))"));
        assertEquals("2001:db8:0:1:1:1:1:1", eval("string(ip('2001:db8:0:1:1:1:1:1'))"));
        assertEquals(true, eval("ip.isCanonical('2001:db8::1')"));
        assertEquals(false, eval("ip.isCanonical('2001:DB8::1')"));
        assertEquals(true, eval("ip('10.0.0.1') == ip('10.0.0.1')"));
        assertEquals(true, eval("isIP('1.2.3.4') && isIP('::1')"));
        assertEquals(false, eval("isIP('1.2.3') || isIP('01.2.3.4') || isIP('fe80::1%eth0') || isIP('::ffff:1.2.3.4')"));
        assertEquals("IP Address \"1.2.3.256\" parse error during conversion from string: ParseAddr(\"1.2.3.256\"): "
                + "IPv4 field has value >255", error("ip('1.2.3.256')"));
        assertEquals("IP Address \"foo\" parse error during conversion from string: ParseAddr(\"foo\"): unable to parse IP",
                error("ip('foo')"));
        assertEquals("IP address \"fe80::1%eth0\" with zone value is not allowed", error("ip('fe80::1%eth0')"));
        assertEquals("IPv4-mapped IPv6 address \"::ffff:1.2.3.4\" is not allowed", error("ip('::ffff:1.2.3.4')"));
    }

    @Test
    void cidrs() throws Exception {
        assertEquals(true, eval("cidr('10.0.0.0/8').containsIP('10.1.2.3')"));
        assertEquals(false, eval("cidr('10.0.0.0/8').containsIP(ip('11.1.2.3'))"));
        assertEquals(true, eval("cidr('10.0.0.0/8').containsCIDR('10.1.0.0/16')"));
        assertEquals(false, eval("cidr('10.1.0.0/16').containsCIDR(cidr('10.0.0.0/8'))"));
        assertEquals(24L, eval("cidr('192.168.0.0/24').prefixLength()"));
        assertEquals("192.168.0.0/24", eval("string(cidr('192.168.0.1/24').masked())"));
        assertEquals("192.168.0.1", eval("string(cidr('192.168.0.1/24').ip())"));
        assertEquals(true, eval("cidr('192.168.0.0/24') == cidr('192.168.0.0/24').masked()"));
        assertEquals(false, eval("cidr('192.168.0.1/24') == cidr('192.168.0.1/24').masked()"));
        assertEquals("2001:db8::/32", eval("string(cidr('2001:db8::/32'))"));
        assertEquals(true, eval("isCIDR('10.0.0.0/8')"));
        assertEquals(false, eval("isCIDR('10.0.0.0') || isCIDR('10.0.0.0/33')"));
        assertEquals("network address parse error during conversion from string: network address parse error during "
                + "conversion from string: netip.ParsePrefix(\"10.0.0.0\"): no '/'", error("cidr('10.0.0.0')"));
        assertEquals("network address parse error during conversion from string: network address parse error during "
                + "conversion from string: netip.ParsePrefix(\"10.0.0.0/33\"): prefix length out of range",
                error("cidr('10.0.0.0/33')"));
    }

    @Test
    void semvers() throws Exception {
        assertEquals(1L, eval("semver('1.2.3').major()"));
        assertEquals(2L, eval("semver('1.2.3').minor()"));
        assertEquals(3L, eval("semver('1.2.3').patch()"));
        assertEquals(true, eval("semver('1.2.3').isLessThan(semver('1.10.0'))"));
        assertEquals(true, eval("semver('1.0.0-alpha').isLessThan(semver('1.0.0'))"));
        assertEquals(true, eval("semver('1.0.0-alpha.1').isLessThan(semver('1.0.0-alpha.beta'))"));
        assertEquals(true, eval("semver('1.0.0-2').isLessThan(semver('1.0.0-10'))"));
        assertEquals(0L, eval("semver('1.2.3+build').compareTo(semver('1.2.3'))"));
        assertEquals(true, eval("semver('1.2.3') == semver('1.2.3')"));
        assertEquals(true, eval("isSemver('1.2.3') && !isSemver('1.2') && !isSemver('v1.2.3')"));
        assertEquals(true, eval("isSemver('v1.2', true) && semver('01.01.01', true) == semver('1.1.1')"));
        assertEquals("No Major.Minor.Patch elements found", error("semver('1.2')"));
        assertEquals("Major number must not contain leading zeroes \"01\"", error("semver('01.2.3')"));
        assertEquals("Invalid character(s) found in major number \"v1\"", error("semver('v1.2.3')"));
        assertEquals("short version cannot contain PreRelease/Build meta data", error("semver('1.2-alpha', true)"));
    }

    @Test
    void formats() throws Exception {
        assertEquals(Optional.empty(), eval("format.dns1123Label().validate('my-name')"));
        assertEquals(Optional.of(List.of("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
                        + "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
                        + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")),
                eval("format.dns1123Label().validate('My_Name')"));
        assertEquals(true, eval("format.named('dns1123Subdomain').hasValue()"));
        assertEquals(false, eval("format.named('nosuch').hasValue()"));
        assertEquals(true, eval("!format.named('labelValue').value().validate('ok.value').hasValue()"));
        assertEquals(true, eval("!format.dns1123LabelPrefix().validate('prefix-').hasValue()"));
        assertEquals(true, eval("format.dns1123Label().validate('prefix-').hasValue()"));
        assertEquals(Optional.of(List.of("parse \"example.com\": invalid URI for request")), eval("format.uri().validate('example.com')"));
        assertEquals(true, eval("!format.uuid().validate('123e4567-e89b-12d3-a456-426614174000').hasValue()"));
        assertEquals(Optional.of(List.of("does not match the UUID format")), eval("format.uuid().validate('123')"));
        assertEquals(true, eval("!format.byte().validate('aGVsbG8=').hasValue() && format.byte().validate('%%').hasValue()"));
        assertEquals(true, eval("!format.date().validate('2021-01-01').hasValue() && format.date().validate('2021-13-01').hasValue()"));
        assertEquals(Optional.of(List.of("invalid datetime")), eval("format.datetime().validate('yesterday')"));
        assertEquals(true, eval("!format.datetime().validate('2021-01-01T00:00:00Z').hasValue()"));
    }

    @Test
    void listsAndRegexStillWork() throws Exception {
        assertEquals(true, eval("[1, 2, 3].isSorted() && [1, 2, 3].sum() == 6 && [3, 1].min() == 1"));
        assertEquals(List.of("1", "2"), eval("'a1b2'.findAll('[0-9]')"));
    }

    @Test
    void theTypeCheckerKnowsTheNewTypes() {
        CelCompileException e = assertThrows(CelCompileException.class, () -> ENV.compile("quantity('1') + 1"));
        assertEquals(true, e.getMessage().contains("found no matching overload for '_+_' applied to '(kubernetes.Quantity, int)'"),
                e.getMessage());
    }
}
