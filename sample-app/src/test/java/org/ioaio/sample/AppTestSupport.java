package org.ioaio.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
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
        "aio.shutdown.grace-period=5s" })
@Import(TestGate.Config.class)
public abstract class AppTestSupport {

    /** The temporary directory holding the data directory and the sentinels outside it. */
    protected static final Path BASE;
    /** The data directory, {@code aio.root}. */
    protected static final Path DATA;

    static {
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

    protected HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) {
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
     * Sends {@code request} exactly as written (no client normalizes or encodes its target) and
     * reads the whole response.
     */
    protected Raw raw(String method, String target, String body) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(60_000);
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder()
                    .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\n")
                    .append("Connection: close\r\n")
                    .append("Accept: application/json\r\n");
            if (body != null) {
                head.append("Content-Type: application/json\r\n").append("Content-Length: ").append(content.length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = response.indexOf("\r\n\r\n");
            String[] lines = response.substring(0, end).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            String rest = response.substring(end + 4);
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                rest = dechunk(rest);
            }
            return new Raw(status, headers, rest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < chunked.length()) {
            int eol = chunked.indexOf("\r\n", i);
            int size = Integer.parseInt(chunked.substring(i, eol).trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(chunked, eol + 2, eol + 2 + size);
            i = eol + 2 + size + 2;
        }
        return out.toString();
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
