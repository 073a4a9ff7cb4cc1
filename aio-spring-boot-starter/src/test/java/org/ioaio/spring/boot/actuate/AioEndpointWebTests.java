/*
 * Copyright 2026-present the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package org.ioaio.spring.boot.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ioaio.AioEngine;
import org.ioaio.spring.boot.AioPoller;
import org.ioaio.spring.boot.AioTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The aio endpoint and health through a real web server: GET /actuator/aio, POST to change parallelism, GET /actuator/health. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health,aio",
        "management.endpoint.health.show-details=always",
        "management.endpoint.aio.access=unrestricted",
        "aio.min-parallel=2",
        "aio.max-parallel=2",
        "aio.shutdown.grace-period=2s" })
class AioEndpointWebTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

    @LocalServerPort
    private int port;

    @Autowired
    private AioTemplate aio;

    @Autowired
    private AioEngine engine;

    @Autowired
    private AioPoller poller;

    /** GET /actuator/aio shows settings, queue depth by priority, threads, counters and the poller. */
    @Test
    void readShowsTheEngine() throws Exception {
        aio.nop().get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> poller.polls() > 0);
        HttpResponse<String> response = get("/actuator/aio");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("closed").asBoolean()).isFalse();
        assertThat(body.at("/settings/parallelism").asInt()).isEqualTo(2);
        assertThat(body.at("/settings/backend").asString()).isEqualTo(engine.backend().name().toLowerCase(java.util.Locale.ROOT));
        assertThat(body.at("/settings/requestedBackend").asString()).isEqualTo("auto");
        assertThat(body.at("/settings/batchWorkers").asBoolean()).isEqualTo(engine.batchWorkers());
        assertThat(body.at("/settings/minParallel").asInt()).isEqualTo(2);
        assertThat(body.at("/settings/maxParallel").asInt()).isEqualTo(2);
        assertThat(body.at("/settings/shutdownGracePeriod").asString()).isEqualTo("PT2S");
        assertThat(body.at("/requests/readyByPriority").propertyNames()).containsExactly("4", "3", "2", "1", "0", "-1", "-2", "-3", "-4");
        assertThat(body.at("/requests/oldestReadyAge").asString()).isEqualTo("PT0S");
        assertThat(body.at("/requests/outstanding").isNumber()).isTrue();
        assertThat(body.at("/threads/running").isNumber()).isTrue();
        assertThat(body.at("/counters/cancellations").isNumber()).isTrue();
        assertThat(body.at("/poller/running").asBoolean()).isTrue();
        assertThat(body.at("/poller/polls").asLong()).isPositive();
    }

    /** POST /actuator/aio (access unrestricted) sets the threads as the properties do; a bad value is a 400 and changes nothing. */
    @Test
    void writeChangesParallelism() throws Exception {
        HttpResponse<String> raised = post("/actuator/aio", Map.of("maxParallel", 6));
        assertThat(raised.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(raised.body()).at("/settings/maxParallel").asInt()).isEqualTo(6);
        assertThat(engine.parallelism()).isEqualTo(6);

        HttpResponse<String> kept = post("/actuator/aio", Map.of("minParallel", 3));
        assertThat(kept.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(kept.body()).at("/settings/minParallel").asInt()).isEqualTo(3);
        assertThat(engine.maxIdle()).isEqualTo(3);

        HttpResponse<String> lowered = post("/actuator/aio", Map.of("maxParallel", 2));
        assertThat(lowered.statusCode()).isEqualTo(200);
        assertThat(engine.parallelism()).isEqualTo(2);
        assertThat(engine.maxIdle()).isEqualTo(2);

        HttpResponse<String> bad = post("/actuator/aio", Map.of("minParallel", 5, "maxParallel", 1));
        assertThat(bad.statusCode()).isEqualTo(400);
        HttpResponse<String> aboveMax = post("/actuator/aio", Map.of("minParallel", 5));
        assertThat(aboveMax.statusCode()).isEqualTo(400);
        assertThat(engine.parallelism()).isEqualTo(2);
        assertThat(engine.maxIdle()).isEqualTo(2);
        assertThat(aio.nop().get(30, TimeUnit.SECONDS)).isNull();
    }

    /** maxParallel 0 (every request would wait) is a 400 without management.endpoint.aio.allow-zero-max-parallel. */
    @Test
    void zeroMaxParallelIsRefused() throws Exception {
        int before = engine.parallelism();
        HttpResponse<String> zero = post("/actuator/aio", Map.of("maxParallel", 0));
        assertThat(zero.statusCode()).isEqualTo(400);
        assertThat(engine.parallelism()).isEqualTo(before);
        assertThat(aio.nop().get(30, TimeUnit.SECONDS)).isNull();
    }

    /** GET /actuator/health shows the aio component, UP. */
    @Test
    void healthShowsAio() throws Exception {
        HttpResponse<String> response = get("/actuator/health");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.at("/components/aio/status").asString()).isEqualTo("UP");
        assertThat(body.at("/components/aio/details/pollerRunning").asBoolean()).isTrue();
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, Map<String, Object> body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class WebApp {
    }
}
