package kubefake.server.e2e;

import io.restassured.RestAssured;
import io.restassured.config.RestAssuredConfig;
import io.restassured.config.SSLConfig;
import io.restassured.specification.RequestSpecification;
import kubefake.server.KubefakeCluster;

/** rest-assured requests to the test cluster over HTTPS, trusting only its CA. */
public final class Http {
    private Http() {
    }

    /** A request as the static-token admin (system:masters). */
    public static RequestSpecification admin() {
        return anonymous().header("Authorization", "Bearer " + TestCluster.ADMIN_TOKEN);
    }

    /** A request without credentials. */
    public static RequestSpecification anonymous() {
        KubefakeCluster c = TestCluster.get();
        return RestAssured.given()
                .baseUri("https://127.0.0.1").port(c.port())
                .config(RestAssuredConfig.config().sslConfig(SSLConfig.sslConfig().trustStore(c.pki().caTrustStore())))
                .urlEncodingEnabled(true);
    }
}
