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

package org.ioaio.spring.boot.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The README's quick start, run: its application.yml (quickstart/application.yml, with aio.root
 * pointed at a temporary directory) and its {@link Documents} service; and the README shows exactly
 * this code (each block after a {@code <!-- tested: path -->} line is that file's README-BEGIN..END part).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.config.location=classpath:quickstart/application.yml")
class QuickStartTests {

    private static final Path ROOT = createRoot();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

    @LocalServerPort
    private int port;

    @Autowired
    private Documents documents;

    @DynamicPropertySource
    static void root(DynamicPropertyRegistry registry) {
        registry.add("aio.root", ROOT::toString);
    }

    @AfterAll
    static void removeRoot() throws IOException {
        try (Stream<Path> all = Files.walk(ROOT)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The service reads, lists and moves files under aio.root by relative names. */
    @Test
    void theServiceWorks() throws Exception {
        Files.createDirectories(ROOT.resolve("notes"));
        Files.createDirectories(ROOT.resolve("archive"));
        Files.writeString(ROOT.resolve("notes/hello.txt"), "hello, aio");
        Files.writeString(ROOT.resolve("report.txt"), "done");
        assertThat(documents.read("notes/hello.txt").get(30, TimeUnit.SECONDS)).isEqualTo("hello, aio");
        assertThat(documents.list("notes").get(30, TimeUnit.SECONDS)).containsExactly(Path.of("hello.txt"));
        documents.archive("report.txt").get(30, TimeUnit.SECONDS);
        assertThat(ROOT.resolve("archive/report.txt")).hasContent("done");
        assertThat(ROOT.resolve("report.txt")).doesNotExist();
    }

    /** What the README says to look at in Actuator is there: /actuator/aio with both thread settings, the aio health, the aio meters. */
    @Test
    void actuatorShowsAio() throws Exception {
        JsonNode aio = JSON.readTree(get("/actuator/aio", 200));
        assertThat(aio.at("/settings/minParallel").asInt()).isEqualTo(4);
        assertThat(aio.at("/settings/maxParallel").asInt()).isEqualTo(16);
        assertThat(JSON.readTree(get("/actuator/health", 200)).at("/components/aio/status").asString()).isEqualTo("UP");
        JsonNode outstanding = JSON.readTree(get("/actuator/metrics/aio.requests.outstanding", 200));
        assertThat(outstanding.get("name").asString()).isEqualTo("aio.requests.outstanding");
    }

    /** Each README block marked as tested is the named file's README-BEGIN..README-END part, character for character. */
    @Test
    void theReadmeShowsThisCode() throws IOException {
        Path repository = Path.of("").toAbsolutePath().getParent();
        List<String> readme = Files.readAllLines(repository.resolve("README.md"));
        int checked = 0;
        for (int i = 0; i < readme.size(); i++) {
            String line = readme.get(i).trim();
            if (!line.startsWith("<!-- tested: ")) {
                continue;
            }
            Path file = repository.resolve(line.substring("<!-- tested: ".length(), line.length() - " -->".length()).trim());
            int open = i + 1;
            assertThat(readme.get(open)).as("a fenced block follows " + line).startsWith("```");
            int close = open + 1;
            while (!readme.get(close).startsWith("```")) {
                close++;
            }
            assertThat(String.join("\n", readme.subList(open + 1, close)))
                    .as("README block after " + line)
                    .isEqualTo(String.join("\n", marked(Files.readAllLines(file))));
            checked++;
        }
        assertThat(checked).as("tested blocks in README.md").isGreaterThanOrEqualTo(2);
    }

    private static List<String> marked(List<String> lines) {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String l : lines) {
            if (l.contains("README-END")) {
                break;
            }
            if (in) {
                out.add(l);
            }
            if (l.contains("README-BEGIN")) {
                in = true;
            }
        }
        return out;
    }

    private String get(String path, int status) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(status);
        return response.body();
    }

    private static Path createRoot() {
        try {
            return Files.createTempDirectory("aio-quickstart").toRealPath();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
