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
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/**
 * A sample that can face a network: reads open, writes only with credentials, every refusal an
 * {@code application/problem+json} problem (those made before any handler too), loopback by
 * default.
 */
class SecurityTests extends AppTestSupport {

    @Autowired
    Environment environment;

    /** Each write without credentials is refused with 401, a problem and a Basic challenge; nothing is done. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "PUT, /api/files/anonymous.txt, text/plain, hello",
            "POST, /api/dirs/anonymous-dir, , ",
            "POST, /api/jobs, application/json, '{\"op\":\"delete\",\"src\":\"docs\"}'",
            "DELETE, /api/jobs/1, , ",
            "DELETE, /api/files/docs/hello.txt, , ",
            "POST, /actuator/aio, application/json, '{\"maxParallel\":0}'"})
    void writesWithoutCredentialsAreRefused(String method, String path, String type, String body) throws IOException {
        int threadsBefore = engine.nthreads();
        String[] headers = type == null ? new String[0] : new String[] {"Content-Type", type};
        HttpResponse<byte[]> r = sendAnonymous(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers);
        assertProblem(r, 401, "unauthorized");
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        assertThat(DATA.resolve("anonymous.txt")).doesNotExist();
        assertThat(DATA.resolve("anonymous-dir")).doesNotExist();
        assertThat(DATA.resolve("docs/hello.txt")).exists();
        assertThat(engine.nthreads()).isGreaterThanOrEqualTo(Math.min(threadsBefore, 1));
    }

    /** A wrong password is refused like none. */
    @Test
    void wrongPasswordIsRefused() {
        String bad = "Basic " + Base64.getEncoder().encodeToString((USER + ":wrong").getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> r = sendAnonymous("PUT", "/api/files/wrong.txt", "x".getBytes(StandardCharsets.UTF_8), "Authorization", bad);
        assertProblem(r, 401, "unauthorized");
        assertThat(DATA.resolve("wrong.txt")).doesNotExist();
    }

    /** With the user's credentials, the same writes are accepted: upload, mkdir, an Actuator write. */
    @Test
    void writesWithCredentialsAreAccepted() throws IOException {
        HttpResponse<byte[]> put = send("PUT", "/api/files/with-login.txt", "hi".getBytes(StandardCharsets.UTF_8));
        assertThat(put.statusCode()).as(text(put)).isEqualTo(201);
        assertThat(Files.readString(DATA.resolve("with-login.txt"))).isEqualTo("hi");
        HttpResponse<byte[]> mkdir = send("POST", "/api/dirs/with-login-dir", null);
        assertThat(mkdir.statusCode()).as(text(mkdir)).isEqualTo(201);
        assertThat(DATA.resolve("with-login-dir")).isDirectory();
        int parallel = engine.nthreads();
        HttpResponse<byte[]> actuator = send("POST", "/actuator/aio", "{\"maxParallel\":8,\"minParallel\":8}".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json");
        assertThat(actuator.statusCode()).as(text(actuator)).isBetween(200, 204);
        assertThat(parallel).isPositive();
    }

    /** A write a browser sends from another site is refused (403 problem) even with credentials. */
    @Test
    void crossSiteWriteIsRefused() {
        HttpResponse<byte[]> r = send("POST", "/api/dirs/cross-site", null, "Sec-Fetch-Site", "cross-site");
        assertProblem(r, 403, "forbidden");
        assertThat(DATA.resolve("cross-site")).doesNotExist();
    }

    /** Reads need no login: listing, metadata, download, Actuator reads. */
    @ParameterizedTest
    @ValueSource(strings = {"/api/dirs/docs", "/api/stat/docs/hello.txt", "/api/files/docs/hello.txt", "/actuator/aio", "/actuator/health", "/"})
    void readsAreOpen(String path) {
        assertThat(get(path).statusCode()).isEqualTo(200);
    }

    /**
     * URLs that were refused before any handler ran, with a bare 400 (a backslash, {@code %u}
     * escapes, a Windows drive or UNC path, an encoded backslash), are 4xx problems; nothing outside is served.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/api/files/docs\\hello.txt", "/api/files/a%u2216b", "/api/files/%uff0e%uff0e/secret.txt",
            "/api/files/C:\\Windows\\win.ini", "/api/files/\\\\host\\share\\x", "/api/files/docs%5chello.txt",
            "/api/stat/%u002e%u002e/secret.txt", "/nothing\\here"})
    void urlsRefusedBeforeAnyHandlerAreProblems(String target) {
        Raw r = raw("GET", target, null);
        assertThat(r.status()).as(r.body()).isBetween(400, 499);
        assertThat(r.headers().get("content-type")).startsWith("application/problem+json");
        assertThat(r.json().get("status").asInt()).isEqualTo(r.status());
        assertThat(r.body()).doesNotContain("the secret outside");
        assertThat(r.json().get("title").asString()).isNotBlank();
    }

    /** A symbolic-link loop is a 400 problem (ELOOP), not a 500. */
    @Test
    void symlinkLoopIsA4xxProblem() throws IOException {
        Path a = DATA.resolve("loop-a");
        Path b = DATA.resolve("loop-b");
        Files.createSymbolicLink(a, b.getFileName());
        Files.createSymbolicLink(b, a.getFileName());
        try {
            HttpResponse<byte[]> r = get("/api/stat/loop-a");
            assertProblem(r, 400, "symlink-loop");
            assertThat(json(r).get("errno").asString()).isEqualTo("ELOOP");
            assertProblem(get("/api/files/loop-a"), 400, "symlink-loop");
        } finally {
            Files.delete(a);
            Files.delete(b);
        }
    }

    /** The application listens on the loopback interface unless told otherwise. */
    @Test
    void bindsToLoopbackByDefault() {
        assertThat(environment.getProperty("server.address")).isEqualTo("127.0.0.1");
    }
}
