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

import java.io.IOException;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Attempts to reach outside the data directory, sent byte for byte as written (no client
 * normalizes them): {@code ..}, encoded traversal, absolute paths, NUL bytes, symbolic links that
 * point out (relative and absolute), through every endpoint that takes a path.
 */
class TraversalTests extends AppTestSupport {

    static Stream<Arguments> attempts() {
        return Stream.of(
                // method, request target, JSON body, status, problem type
                Arguments.of("GET", "/api/files/../secret.txt", null, 400, "dot-segment"),
                Arguments.of("GET", "/api/files/%2e%2e/secret.txt", null, 400, "dot-segment"),
                Arguments.of("GET", "/api/files/%2E%2E/%2E%2E/etc/passwd", null, 400, "dot-segment"),
                Arguments.of("GET", "/api/files/..%2fsecret.txt", null, 400, "dot-segment"),
                Arguments.of("GET", "/api/files/%2e%2e%2fsecret.txt", null, 400, "dot-segment"),
                Arguments.of("GET", "/api/files/docs/..%2F..%2Fsecret.txt", null, 400, "dot-segment"),
                Arguments.of("GET", "/api/files//etc/passwd", null, 400, "absolute-path"),
                Arguments.of("GET", "/api/files/%2fetc%2fpasswd", null, 400, "absolute-path"),
                Arguments.of("GET", "/api/stat/docs/../../secret.txt", null, 400, "dot-segment"),
                Arguments.of("GET", "/api/dirs/..", null, 400, "dot-segment"),
                Arguments.of("GET", "/api/du/docs/%2e%2e/%2e%2e", null, 400, "dot-segment"),
                Arguments.of("GET", "/api/files/docs%00/hello.txt", null, 400, "nul"),
                Arguments.of("GET", "/api/files/secret-link", null, 403, "outside-root"),
                Arguments.of("GET", "/api/files/escape/inside.txt", null, 403, "outside-root"),
                Arguments.of("GET", "/api/files/abs-link/inside.txt", null, 403, "outside-root"),
                Arguments.of("GET", "/api/dirs/escape", null, 403, "outside-root"),
                Arguments.of("GET", "/api/stat/abs-link", null, 403, "outside-root"),
                Arguments.of("GET", "/api/du/escape", null, 403, "outside-root"),
                Arguments.of("GET", "/api/files/%252e%252e/secret.txt", null, 404, "not-found"),
                Arguments.of("PUT", "/api/files/../evil.txt", "{}", 400, "dot-segment"),
                Arguments.of("PUT", "/api/files/escape/evil.txt", "{}", 403, "outside-root"),
                Arguments.of("PUT", "/api/files/%2e%2e%2Fevil.txt", "{}", 400, "dot-segment"),
                Arguments.of("POST", "/api/dirs/escape/made", null, 403, "outside-root"),
                Arguments.of("POST", "/api/dirs/%2e%2e/made", null, 400, "dot-segment"),
                Arguments.of("POST", "/api/jobs", "{\"op\":\"copy\",\"src\":\"../outside\",\"dst\":\"stolen\"}", 400, "dot-segment"),
                Arguments.of("POST", "/api/jobs", "{\"op\":\"copy\",\"src\":\"escape\",\"dst\":\"stolen\"}", 403, "outside-root"),
                Arguments.of("POST", "/api/jobs", "{\"op\":\"copy\",\"src\":\"docs\",\"dst\":\"../copied\"}", 400, "dot-segment"),
                Arguments.of("POST", "/api/jobs", "{\"op\":\"copy\",\"src\":\"docs\",\"dst\":\"escape/copied\"}", 403, "outside-root"),
                Arguments.of("POST", "/api/jobs", "{\"op\":\"move\",\"src\":\"docs/notes.md\",\"dst\":\"abs-link/notes.md\"}", 403, "outside-root"),
                Arguments.of("POST", "/api/jobs", "{\"op\":\"move\",\"src\":\"abs-link/inside.txt\",\"dst\":\"got.txt\"}", 403, "outside-root"),
                Arguments.of("POST", "/api/jobs", "{\"op\":\"delete\",\"src\":\"escape/inside.txt\"}", 403, "outside-root"),
                Arguments.of("POST", "/api/jobs", "{\"op\":\"delete\",\"src\":\"/etc/hostname\"}", 400, "absolute-path"),
                Arguments.of("POST", "/api/jobs", "{\"op\":\"du\",\"src\":\"docs\\u0000\"}", 400, "nul"),
                Arguments.of("POST", "/api/jobs", "{\"op\":\"du\",\"src\":\"/etc\"}", 400, "absolute-path"));
    }

    /** Each attempt is refused with its 4xx problem, and nothing inside or outside the data directory changes. */
    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @MethodSource("attempts")
    void refusedAndNothingTouched(String method, String target, String body, int status, String type) throws IOException {
        Map<String, String> outsideBefore = outside();
        Map<String, String> dataBefore = snapshot(DATA);
        int jobsBefore = json(get("/api/jobs")).size();

        Raw r = raw(method, target, body);

        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().get("content-type")).startsWith("application/problem+json");
        JsonNode problem = r.json();
        assertThat(problem.get("type").asString()).isEqualTo("/problems/" + type);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asString()).isNotBlank().doesNotContain(BASE.toString());
        assertThat(outside()).isEqualTo(outsideBefore);
        assertThat(snapshot(DATA)).isEqualTo(dataBefore);
        assertThat(json(get("/api/jobs")).size()).as("no job was started").isEqualTo(jobsBefore);
    }
}
