package kubefake.server.http;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Request targets as Go's url.ParseRequestURI and URL.Query() read them. */
class RequestTargetTest {

    private static RequestTarget parse(String target) throws RequestTarget.MalformedException {
        return RequestTarget.parse(target);
    }

    @Test
    void thePathIsPercentDecodedAndAPlusStaysAPlus() throws Exception {
        assertEquals("/api/v1/namespaces/a b/pods/x+y", parse("/api/v1/namespaces/a%20b/pods/x+y").path());
        assertEquals("/api/v1/namespaces/a/b", parse("/api/v1/namespaces/a%2Fb").path());
        assertEquals("/é", parse("/%C3%A9").path());
    }

    @Test
    void aMalformedEscapeOrControlCharacterMakesTheTargetUnreadable() {
        for (String target : List.of("/api/%zz", "/api/%", "/api/%4", "/a%g1", "", "relative", "?a=b", "/a\u0001b", "/a\u007f")) {
            assertThrows(RequestTarget.MalformedException.class, () -> parse(target), target);
        }
    }

    @Test
    void queryPairsThatCannotBeDecodedAreDroppedTheOthersKept() throws Exception {
        Map<String, List<String>> q = parse("/x?a=%zz&b=1&c;d=2&&e&f=a+b%2Bc&b=2&%zz=3&g=%").query();
        assertEquals(Map.of("b", List.of("1", "2"), "e", List.of(""), "f", List.of("a b+c")), q);
    }

    @Test
    void aQueryKeepsEverythingAfterTheFirstQuestionMark() throws Exception {
        RequestTarget t = parse("/x?labelSelector=a%3D1?b&x=%3F");
        assertEquals("/x", t.path());
        assertEquals(Map.of("labelSelector", List.of("a=1?b"), "x", List.of("?")), t.query());
        assertEquals(Map.of(), parse("/x?").query());
    }

    @Test
    void absoluteFormAndAsterisk() throws Exception {
        assertEquals("/api/v1/pods", parse("https://127.0.0.1:6443/api/v1/pods?watch=1").path());
        assertEquals(Map.of("watch", List.of("1")), parse("https://h/api?watch=1").query());
        assertEquals("", parse("http://h").path());
        assertEquals("*", parse("*").path());
    }
}
