package io.switchboard.platforms.genesys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;

import org.junit.jupiter.api.Test;

class GenesysEnvironmentTest {

    @Test
    void resolvesRegionNames() {
        final GenesysEnvironment env = GenesysEnvironment.of("eu_west_1");
        assertThat(env.apiBase()).isEqualTo(URI.create("https://api.mypurecloud.ie"));
        assertThat(env.tokenUri()).isEqualTo(URI.create("https://login.mypurecloud.ie/oauth/token"));
        assertThat(GenesysEnvironment.of("us-east-2").apiBase())
                .isEqualTo(URI.create("https://api.use2.us-gov-pure.cloud"));
        assertThat(GenesysEnvironment.of("AP_SOUTHEAST_2").apiBase())
                .isEqualTo(URI.create("https://api.mypurecloud.com.au"));
    }

    @Test
    void acceptsABareDomainOrABaseUrl() {
        assertThat(GenesysEnvironment.of("mypurecloud.de").loginBase())
                .isEqualTo(URI.create("https://login.mypurecloud.de"));
        final GenesysEnvironment sandbox = GenesysEnvironment.of("http://127.0.0.1:9090/");
        assertThat(sandbox.apiBase()).isEqualTo(URI.create("http://127.0.0.1:9090"));
        assertThat(sandbox.tokenUri()).isEqualTo(URI.create("http://127.0.0.1:9090/oauth/token"));
    }

    @Test
    void rejectsAnythingElseNamingTheForms() {
        assertThatThrownBy(() -> GenesysEnvironment.of("mars_north_1"))
                .hasMessageContaining("genesys region: \"mars_north_1\" (expected: a region such as us_east_1");
    }
}
