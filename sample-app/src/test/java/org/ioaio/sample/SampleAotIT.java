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

package org.ioaio.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample as the build packaged it, with the code Spring AOT generated for its context
 * ({@code spring-boot:process-aot}, bound to prepare-package), started in a JVM of its own with
 * {@code -Dspring.aot.enabled=true}: Spring then registers the beans through the generated
 * initializer and refuses to start without one. It listens on a port the system picks, serves a
 * temporary data directory, and is stopped after the test whatever its outcome. Run by failsafe
 * in the integration-test phase ({@code ./mvnw verify}); its output is kept in
 * {@code target/sample-aot-it.log}.
 */
class SampleAotIT {

    private static final Pattern PORT = Pattern.compile("Netty started on port (\\d+)");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path base;

    private Process process;
    private Path log;

    /** Stops the application (SIGTERM: its context closes), or kills it if it does not exit. */
    @AfterEach
    void stop() throws InterruptedException {
        if (process != null && !process.waitFor(0, TimeUnit.SECONDS)) {
            process.destroy();
            if (!process.waitFor(1, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** Started from the AOT-processed jar, the sample serves a file, a listing and an UP health with the engine in it. */
    @Test
    void aotProcessedSampleServesItsApiAndHealth() throws Exception {
        Path jar = Path.of(System.getProperty("sample.jar", "target/sample-app-0.1.0-SNAPSHOT.jar")).toAbsolutePath();
        assertThat(jar).as("the packaged sample (run ./mvnw verify: failsafe runs after package)").isRegularFile();
        Path data = base.resolve("data");
        log = jar.resolveSibling("sample-aot-it.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dspring.aot.enabled=true",
                "-jar", jar.toString(),
                "--server.port=0",
                "--aio.root=" + data,
                "--sample.seed-files=20"));
        process = new ProcessBuilder(command).directory(base.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();

        await("the sample's web server (output: " + log + ")").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> port().isPresent() || !process.isAlive());
        if (port().isEmpty()) {
            fail("the AOT-processed sample exited with " + process.exitValue() + " before listening:\n" + output());
        }
        String url = "http://127.0.0.1:" + port().getAsInt();
        assertThat(output()).as("the generated initializer is used").contains("Starting AOT-processed SampleApplication");

        HttpResponse<String> file = get(url + "/api/files/docs/hello.txt");
        assertThat(file.statusCode()).as(file.body()).isEqualTo(200);
        assertThat(file.body()).isEqualTo("Hello from aio!\n");

        HttpResponse<String> listing = get(url + "/api/dirs/");
        assertThat(listing.statusCode()).as(listing.body()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        JSON.readTree(listing.body()).path("entries").forEach(e -> names.add(e.path("name").asString()));
        assertThat(names).contains("README.txt", "docs", "big.bin");
        assertThat(data.resolve("docs/hello.txt")).as("the data directory given on the command line").isRegularFile();

        HttpResponse<String> health = get(url + "/actuator/health");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        JsonNode status = JSON.readTree(health.body());
        assertThat(status.path("status").asString()).as(health.body()).isEqualTo("UP");
        assertThat(status.path("components").path("aio").path("status").asString()).as(health.body()).isEqualTo("UP");
    }

    /** The port in the application's "Netty started on port N" line, once it is there. */
    private OptionalInt port() {
        Matcher m = PORT.matcher(output());
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    private String output() {
        try {
            return new String(Files.readAllBytes(log), StandardCharsets.UTF_8); // lenient: the log may end mid-character
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> get(String uri) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        return client.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofMinutes(1)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
