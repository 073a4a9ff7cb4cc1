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
import static org.awaitility.Awaitility.await;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.ioaio.AioEngine;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The application on a random port over a temporary data directory, shared by the API tests (one
 * context): {@code BASE/data} is {@code aio.root}; beside it, outside the jail, are sentinel files
 * ({@code BASE/secret.txt}, {@code BASE/outside/inside.txt}) and inside it symbolic links that
 * point at them. After each test the gate is open and the engine has no request left.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "sample.seed=false",
        "aio.min-parallel=8",
        "aio.max-parallel=8",
        "sample.jobs.parallel=4",
        "sample.max-upload-size=16MB",
        "aio.shutdown.grace-period=5s",
        "spring.security.user.name=" + AppTestSupport.USER,
        "spring.security.user.password=" + AppTestSupport.PASSWORD })
@Import(TestGate.Config.class)
public abstract class AppTestSupport {

    /** The user that writes need (HTTP Basic). */
    protected static final String USER = "tester";
    /** Its password. */
    protected static final String PASSWORD = "test-secret-1";
    /** The Authorization header value of {@link #USER}. */
    protected static final String BASIC = "Basic " + java.util.Base64.getEncoder()
            .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));

    /** The temporary directory holding the data directory and the sentinels outside it. */
    protected static final Path BASE;
    /** The data directory, {@code aio.root}. */
    protected static final Path DATA;

    static {
        NettyLeaks.install();
        try {
            BASE = Files.createTempDirectory("aio-sample-test").toRealPath();
            DATA = Files.createDirectories(BASE.resolve("data"));
            Files.writeString(BASE.resolve("secret.txt"), "the secret outside the data directory\n");
            Files.createDirectories(BASE.resolve("outside"));
            Files.writeString(BASE.resolve("outside/inside.txt"), "a file in a directory outside\n");
            Files.createSymbolicLink(DATA.resolve("escape"), Path.of("../outside"));
            Files.createSymbolicLink(DATA.resolve("secret-link"), Path.of("../secret.txt"));
            Files.createSymbolicLink(DATA.resolve("abs-link"), BASE.resolve("outside"));
            Files.createDirectories(DATA.resolve("docs"));
            Files.writeString(DATA.resolve("docs/hello.txt"), "Hello from aio!\n");
            Files.writeString(DATA.resolve("docs/notes.md"), "# notes\n");
            Files.writeString(DATA.resolve("plain.txt"), "0123456789abcdefghij");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) {
        registry.add("aio.root", DATA::toString);
    }

    protected static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30))
            .build();

    @LocalServerPort
    protected int port;

    @Autowired
    protected AioEngine engine;

    @Autowired
    protected TestGate gate;

    /** Leak reports made before this class's tests (another class's). */
    private static int leaksBefore;

    @org.junit.jupiter.api.BeforeAll
    static void countEarlierLeaks() {
        leaksBefore = NettyLeaks.reports().size();
    }

    /** No Netty buffer was left unreleased by the class's tests (paranoid leak detection). */
    @org.junit.jupiter.api.AfterAll
    static void noNettyBufferLeaked() {
        assertThat(NettyLeaks.level()).isEqualTo(io.netty.util.ResourceLeakDetector.Level.PARANOID);
        List<String> all = NettyLeaks.reports();
        assertThat(all.subList(Math.min(leaksBefore, all.size()), all.size())).as("Netty leak reports").isEmpty();
    }

    @AfterEach
    void engineIsIdle() {
        gate.release();
        await().atMost(Duration.ofSeconds(60)).until(() -> engine.nreqs() == 0);
    }

    // ------------------------------------------------------------------------------------------
    // HTTP
    // ------------------------------------------------------------------------------------------

    protected URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** A request; a write ({@code PUT}, {@code POST}, {@code DELETE}...) carries the test user's credentials. */
    protected HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) {
        boolean read = method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
        if (read || java.util.Arrays.asList(headers).contains("Authorization")) {
            return sendAnonymous(method, path, body, headers);
        }
        String[] withAuth = java.util.Arrays.copyOf(headers, headers.length + 2);
        withAuth[headers.length] = "Authorization";
        withAuth[headers.length + 1] = BASIC;
        return sendAnonymous(method, path, body, withAuth);
    }

    /** A request as given: no credentials added. */
    protected HttpResponse<byte[]> sendAnonymous(String method, String path, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected HttpResponse<byte[]> get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    protected HttpResponse<byte[]> postJson(String path, Object body) {
        return send("POST", path, JSON.writeValueAsBytes(body), "Content-Type", "application/json");
    }

    protected HttpResponse<byte[]> delete(String path) {
        return send("DELETE", path, null);
    }

    protected static JsonNode json(HttpResponse<byte[]> response) {
        return JSON.readTree(response.body());
    }

    protected static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    /** A response as raw bytes on the wire give it. */
    protected record Raw(int status, Map<String, String> headers, String body) {

        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    /**
     * Sends a request exactly as written (no client normalizes or encodes its target) on a
     * connection of its own, and reads one response, framed by its Content-Length or chunks.
     * The connection is kept alive until the response is read, as any client's would be: a
     * server that refuses a request before reading its body discards the body, instead of
     * resetting a closed connection under the response.
     */
    protected Raw raw(String method, String target, String body) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(60_000);
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder()
                    .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\n")
                    .append("Accept: application/json\r\n");
            if (!method.equals("GET") && !method.equals("HEAD")) {
                head.append("Authorization: ").append(BASIC).append("\r\n");
            }
            if (body != null) {
                head.append("Content-Type: application/json\r\n").append("Content-Length: ").append(content.length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            InputStream in = new BufferedInputStream(s.getInputStream());
            String statusLine = line(in);
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String l = line(in); !l.isEmpty(); l = line(in)) {
                int colon = l.indexOf(':');
                headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(), 16)) {
                    bytes.write(in.readNBytes(size));
                    line(in);
                }
            } else if (headers.containsKey("content-length")) {
                bytes.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
            }
            return new Raw(status, headers, bytes.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One CRLF-terminated line, without the CRLF. */
    private static String line(InputStream in) throws IOException {
        StringBuilder l = new StringBuilder();
        for (int c = in.read(); c != -1; c = in.read()) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                l.append((char) c);
            }
        }
        return l.toString();
    }

    // ------------------------------------------------------------------------------------------
    // Files
    // ------------------------------------------------------------------------------------------

    /** Makes {@code DATA/name} with {@code dirs} subdirectories of {@code files} files of {@code size} bytes each. */
    protected static Path tree(String name, int dirs, int files, int size) throws IOException {
        Path top = Files.createDirectories(DATA.resolve(name));
        byte[] content = new byte[size];
        for (int d = 0; d < dirs; d++) {
            Path dir = Files.createDirectories(top.resolve("d" + d));
            for (int f = 0; f < files; f++) {
                content[0] = (byte) d;
                content[size - 1] = (byte) f;
                Files.write(dir.resolve("f" + f + ".bin"), content);
            }
        }
        return top;
    }

    /** Every path under {@code dir} (relative), with each regular file's content digest. */
    protected static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.toList()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String what;
                if (a.isRegularFile()) {
                    what = "file " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)))
                            + " " + a.lastModifiedTime().toMillis();
                } else if (a.isSymbolicLink()) {
                    what = "link " + Files.readSymbolicLink(p);
                } else {
                    what = a.isDirectory() ? "dir" : "other";
                }
                all.put(dir.relativize(p).toString(), what);
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return all;
    }

    /** What lies outside the data directory: everything under BASE but DATA. */
    protected static Map<String, String> outside() throws IOException {
        Map<String, String> all = snapshot(BASE);
        all.keySet().removeIf(k -> k.equals("data") || k.startsWith("data/"));
        return all;
    }

    /** Names of work in progress ({@code .aio-*.part}) anywhere under the data directory. */
    protected static List<Path> partials() throws IOException {
        try (Stream<Path> paths = Files.walk(DATA)) {
            return paths.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(".aio-") && n.endsWith(".part");
            }).toList();
        }
    }

    /** Waits until job {@code id} has state {@code state}, and returns it. */
    protected JsonNode awaitJob(long id, String state) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            last[0] = json(get("/api/jobs/" + id));
            return state.equals(last[0].get("state").asString());
        });
        return last[0];
    }

    protected static void assertProblem(HttpResponse<byte[]> response, int status, String type) {
        assertThat(response.statusCode()).as(text(response)).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        JsonNode p = json(response);
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("type").asString()).isEqualTo("/problems/" + type);
        assertThat(p.get("title").asString()).isNotBlank();
        assertThat(p.get("detail").asString()).isNotBlank();
    }
}
