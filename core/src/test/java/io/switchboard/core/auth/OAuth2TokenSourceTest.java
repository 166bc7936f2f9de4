package io.switchboard.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;

import io.switchboard.core.testing.MutableClock;

class OAuth2TokenSourceTest {

    private static final ClientCredentials CLIENT = new ClientCredentials("my-client", "s3cr3t-value");

    /** A token endpoint that records requests and can be held back until {@link #gate} completes. */
    static final List<AggregatedHttpRequest> requests = new CopyOnWriteArrayList<>();
    static final AtomicInteger issued = new AtomicInteger();
    static volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
    static volatile HttpStatus status = HttpStatus.OK;
    static volatile String expiresIn = "3600";

    @RegisterExtension
    static final ServerExtension server = new ServerExtension() {
        @Override
        protected void configure(ServerBuilder sb) {
            sb.service("/oauth/token", (ctx, req) -> HttpResponse.of(req.aggregate().thenCombine(gate, (agg, v) -> {
                requests.add(agg);
                if (status != HttpStatus.OK) {
                    return HttpResponse.of(status, MediaType.JSON_UTF_8,
                                           "{\"error\":\"invalid_client\",\"error_description\":\"bad secret\"}");
                }
                return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8,
                                       "{\"access_token\":\"tok-" + issued.incrementAndGet()
                                       + "\",\"token_type\":\"bearer\",\"expires_in\":" + expiresIn + "}");
            })));
        }
    };

    private final MutableClock clock = new MutableClock();

    @BeforeEach
    void reset() {
        requests.clear();
        gate = CompletableFuture.completedFuture(null);
        status = HttpStatus.OK;
        expiresIn = "3600";
    }

    private OAuth2TokenSource.Builder source() {
        return OAuth2TokenSource.builder(URI.create(server.httpUri() + "/oauth/token"), CLIENT).clock(clock);
    }

    @Test
    void concurrentCallersOnAColdStartShareOneRequest() throws Exception {
        final OAuth2TokenSource tokens = source().build();
        gate = new CompletableFuture<>();
        final List<CompletableFuture<AccessToken>> waiting = new ArrayList<>();
        final ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            final List<java.util.concurrent.Future<CompletableFuture<AccessToken>>> calls = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                calls.add(pool.submit(tokens::token));
            }
            for (var call : calls) {
                waiting.add(call.get());
            }
        } finally {
            pool.shutdown();
        }
        assertThat(waiting).noneMatch(CompletableFuture::isDone);
        gate.complete(null);
        final Set<String> values = ConcurrentHashMap.newKeySet();
        for (CompletableFuture<AccessToken> f : waiting) {
            values.add(f.join().value());
        }
        assertThat(values).hasSize(1);
        assertThat(requests).hasSize(1);
    }

    @Test
    void reusesTheTokenUntilTheRefreshMarginThenRenewsWithoutMakingCallersWait() {
        final OAuth2TokenSource tokens = source().build();
        final AccessToken first = tokens.token().join();
        clock.advance(Duration.ofSeconds(3600 - 31));
        assertThat(tokens.token().join()).isSameAs(first);
        assertThat(requests).hasSize(1);

        gate = new CompletableFuture<>();
        clock.advance(Duration.ofSeconds(2)); // 29 s left: inside the 30 s margin
        final CompletableFuture<AccessToken> during = tokens.token();
        assertThat(during).isCompletedWithValue(first);
        gate.complete(null);
        org.awaitility.Awaitility.await().until(() -> !tokens.token().join().value().equals(first.value()));
        assertThat(requests).hasSize(2);
    }

    @Test
    void anExpiredTokenIsNeverHandedOut() {
        final OAuth2TokenSource tokens = source().build();
        final AccessToken first = tokens.token().join();
        clock.advance(Duration.ofSeconds(3601));
        final AccessToken second = tokens.token().join();
        assertThat(second.value()).isNotEqualTo(first.value());
        assertThat(second.expiresAt()).isEqualTo(clock.instant().plusSeconds(3600));
    }

    @Test
    void invalidateDropsOnlyTheRejectedToken() {
        final OAuth2TokenSource tokens = source().build();
        final AccessToken first = tokens.token().join();
        tokens.invalidate(new AccessToken("some-older-token", first.expiresAt()));
        assertThat(tokens.token().join()).isSameAs(first);
        tokens.invalidate(first);
        tokens.invalidate(first); // a second caller rejected with the same token: still one renewal
        final AccessToken second = tokens.token().join();
        assertThat(second.value()).isNotEqualTo(first.value());
        assertThat(requests).hasSize(2);
    }

    @Test
    void basicStyleSendsTheCredentialsInTheAuthorizationHeader() {
        source().style(OAuth2TokenSource.Style.BASIC).build().token().join();
        final AggregatedHttpRequest req = requests.get(0);
        final String expected = Base64.getEncoder().encodeToString(
                "my-client:s3cr3t-value".getBytes(StandardCharsets.UTF_8));
        assertThat(req.headers().get("authorization")).isEqualTo("Basic " + expected);
        assertThat(req.contentType().toString()).startsWith("application/x-www-form-urlencoded");
        assertThat(req.contentUtf8()).isEqualTo("grant_type=client_credentials");
    }

    @Test
    void formStyleSendsTheCredentialsInTheBody() {
        source().style(OAuth2TokenSource.Style.FORM).build().token().join();
        final AggregatedHttpRequest req = requests.get(0);
        assertThat(req.headers().get("authorization")).isNull();
        assertThat(req.contentUtf8())
                .isEqualTo("grant_type=client_credentials&client_id=my-client&client_secret=s3cr3t-value");
    }

    @Test
    void jsonStyleSendsScopesInAJsonBody() {
        source().style(OAuth2TokenSource.Style.JSON).scope("callcontrol:calls:read callcontrol:calls:write")
                .build().token().join();
        final AggregatedHttpRequest req = requests.get(0);
        assertThat(req.contentType().isJson()).isTrue();
        assertThat(req.contentUtf8()).contains("\"grant_type\":\"client_credentials\"")
                                     .contains("\"scope\":\"callcontrol:calls:read callcontrol:calls:write\"");
    }

    @Test
    void aRefusedRequestNamesTheErrorButNeverTheSecretAndIsNotCached() {
        status = HttpStatus.UNAUTHORIZED;
        final OAuth2TokenSource tokens = source().name("login").build();
        final CompletionException e = catchThrowableOfType(CompletionException.class, () -> tokens.token().join());
        assertThat(e.getCause()).isInstanceOf(TokenRequestException.class)
                                .hasMessageContaining("login")
                                .hasMessageContaining("401")
                                .hasMessageContaining("invalid_client")
                                .hasMessageNotContaining("s3cr3t-value");
        assertThat(((TokenRequestException) e.getCause()).status()).hasValue(401);

        status = HttpStatus.OK;
        assertThat(tokens.token().join().value()).startsWith("tok-");
        assertThat(requests).hasSize(2);
    }

    @Test
    void anUnusableAnswerFailsTheWaitingCallersInsteadOfHangingThem() {
        expiresIn = "9223372036854775807"; // an expiry no clock can hold
        final CompletableFuture<AccessToken> token = source().build().token();
        final CompletionException e = catchThrowableOfType(CompletionException.class, token::join);
        assertThat(e.getCause()).isInstanceOf(TokenRequestException.class).hasMessageContaining("unusable");
    }

    @Test
    void credentialsAndTokensAreRedactedInToString() {
        assertThat(CLIENT.toString()).doesNotContain("s3cr3t-value");
        final AccessToken token = source().build().token().join();
        assertThat(token.toString()).doesNotContain(token.value());
    }
}
