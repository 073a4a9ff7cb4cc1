package org.ioaio.spring.boot.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.ioaio.AioEngine;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The aio endpoint exposed over HTTP with its default access: reading works, the write operation is not there. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=aio",
        "aio.min-parallel=1",
        "aio.max-parallel=2",
        "aio.shutdown.grace-period=2s" })
class AioEndpointAccessWebTests {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

    @LocalServerPort
    private int port;

    @Autowired
    private AioEngine engine;

    /** By default GET /actuator/aio answers and POST is refused (read-only access), leaving the engine as it was. */
    @Test
    void writeIsRefusedByDefault() throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + port + "/actuator/aio");
        HttpResponse<String> read = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(read.statusCode()).isEqualTo(200);
        HttpResponse<String> write = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"maxParallel\":0}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(write.statusCode()).isBetween(400, 499).isNotEqualTo(400);
        assertThat(engine.parallelism()).isEqualTo(2);
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class WebApp {
    }
}
