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

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The files API against real files: listing, metadata, download with Range, upload, mkdir, du, actuator, dashboard. */
class FilesApiTests extends AppTestSupport {

    /** GET /api/dirs/ lists the data directory: directories first, symbolic links shown as links, hidden work in progress left out. */
    @Test
    void listsTheDataDirectory() throws IOException {
        Files.writeString(DATA.resolve(".aio-upload-x.part"), "in progress");
        try {
            JsonNode listing = json(get("/api/dirs/"));
            assertThat(listing.get("path").asString()).isEmpty();
            List<String> names = new ArrayList<>();
            listing.get("entries").forEach(e -> names.add(e.get("name").asString()));
            assertThat(names).contains("docs", "plain.txt", "escape", "secret-link").doesNotContain(".aio-upload-x.part");
            assertThat(names.indexOf("docs")).isLessThan(names.indexOf("plain.txt"));
            JsonNode plain = entry(listing, "plain.txt");
            assertThat(plain.get("type").asString()).isEqualTo("file");
            assertThat(plain.get("size").asLong()).isEqualTo(20);
            assertThat(plain.get("path").asString()).isEqualTo("plain.txt");
            assertThat(plain.get("mode").asString()).matches("0[0-7]{3}");
            assertThat(entry(listing, "escape").get("type").asString()).isEqualTo("symlink");
            assertThat(entry(listing, "docs").get("type").asString()).isEqualTo("directory");
        } finally {
            Files.delete(DATA.resolve(".aio-upload-x.part"));
        }
    }

    /** GET /api/dirs/docs lists a subdirectory; /api/dirs (no slash) is the data directory too. */
    @Test
    void listsASubdirectory() {
        JsonNode docs = json(get("/api/dirs/docs"));
        assertThat(docs.get("path").asString()).isEqualTo("docs");
        assertThat(entry(docs, "hello.txt").get("path").asString()).isEqualTo("docs/hello.txt");
        assertThat(get("/api/dirs").statusCode()).isEqualTo(200);
    }

    /** Listing a missing directory is a 404 problem; listing a file (a file where a directory is expected) a 409. */
    @Test
    void listingAMissingDirectoryOrAFileIsAProblem() {
        assertProblem(get("/api/dirs/no-such-dir"), 404, "not-found");
        assertProblem(get("/api/dirs/plain.txt"), 409, "not-a-directory");
        assertProblem(get("/api/dirs/plain.txt/below"), 409, "not-a-directory");
    }

    /** GET /api/stat/{path} gives a file's metadata; a directory's too; a missing one is a 404. */
    @Test
    void statGivesMetadata() {
        JsonNode st = json(get("/api/stat/docs/hello.txt"));
        assertThat(st.get("path").asString()).isEqualTo("docs/hello.txt");
        assertThat(st.get("type").asString()).isEqualTo("file");
        assertThat(st.get("size").asLong()).isEqualTo(16);
        assertThat(st.get("nlink").asLong()).isEqualTo(1);
        assertThat(st.get("inode").asLong()).isPositive();
        assertThat(st.get("modified").asString()).endsWith("Z");
        assertThat(json(get("/api/stat/docs")).get("type").asString()).isEqualTo("directory");
        assertProblem(get("/api/stat/docs/missing.txt"), 404, "not-found");
    }

    /** GET /api/files/{path} sends the whole file with its length, type, ETag and Accept-Ranges. */
    @Test
    void downloadsAWholeFile() {
        HttpResponse<byte[]> r = get("/api/files/docs/hello.txt");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(text(r)).isEqualTo("Hello from aio!\n");
        assertThat(r.headers().firstValue("Content-Length")).hasValue("16");
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain"));
        assertThat(r.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(r.headers().firstValue("ETag")).isPresent();
    }

    /** A large file arrives byte for byte (many read requests, each on demand). */
    @Test
    void downloadsALargeFileExactly() throws IOException {
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(content);
        Files.write(DATA.resolve("large.bin"), content);
        HttpResponse<byte[]> r = get("/api/files/large.bin");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(content);
    }

    /**
     * A download that fails after its 200 and headers were sent (the file shrank under it) ends
     * the connection: the client reads fewer bytes than Content-Length and then end of stream,
     * instead of waiting for bytes that never come.
     */
    @Test
    void downloadFailingAfterItsHeadersEndsTheConnection() throws IOException {
        Path file = DATA.resolve("shrinking.bin");
        int size = 256 * 1024 * 1024;
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {1}), size - 1);
        }
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(60_000);
            s.getOutputStream().write(("GET /api/files/shrinking.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            var in = new java.io.BufferedInputStream(s.getInputStream());
            byte[] head = in.readNBytes(12);
            assertThat(new String(head, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 200");
            // The client stops reading: the server has sent part of the file. Now the file shrinks.
            try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            long received = 0;
            for (int n = in.read(new byte[65536]); n >= 0; n = in.read(new byte[65536])) {
                received += n;
            }
            assertThat(received).isLessThan(size);
        }
    }

    /** Range: bytes=a-b answers 206 with exactly those bytes and Content-Range; open-ended and suffix ranges too. */
    @Test
    void downloadsARange() {
        HttpResponse<byte[]> middle = get("/api/files/plain.txt", "Range", "bytes=2-5");
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(text(middle)).isEqualTo("2345");
        assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes 2-5/20");
        assertThat(middle.headers().firstValue("Content-Length")).hasValue("4");

        HttpResponse<byte[]> tail = get("/api/files/plain.txt", "Range", "bytes=15-");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(text(tail)).isEqualTo("fghij");

        HttpResponse<byte[]> suffix = get("/api/files/plain.txt", "Range", "bytes=-3");
        assertThat(text(suffix)).isEqualTo("hij");
        assertThat(suffix.headers().firstValue("Content-Range")).hasValue("bytes 17-19/20");

        HttpResponse<byte[]> clipped = get("/api/files/plain.txt", "Range", "bytes=18-1000");
        assertThat(text(clipped)).isEqualTo("ij");
        assertThat(clipped.headers().firstValue("Content-Range")).hasValue("bytes 18-19/20");
    }

    /** A Range that starts beyond the end is a 416 problem with Content-Range: bytes * /size. */
    @Test
    void rangeBeyondTheEndIs416() {
        HttpResponse<byte[]> r = get("/api/files/plain.txt", "Range", "bytes=20-30");
        assertProblem(r, 416, "range-not-satisfiable");
        assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes */20");
        assertProblem(get("/api/files/plain.txt", "Range", "bytes=-0"), 416, "range-not-satisfiable");
    }

    /** A Range the server does not serve (several ranges, another unit) is ignored: the whole file, 200. */
    @Test
    void unsupportedRangesAreIgnored() {
        assertThat(get("/api/files/plain.txt", "Range", "bytes=0-1,4-5").statusCode()).isEqualTo(200);
        assertThat(get("/api/files/plain.txt", "Range", "lines=1-2").statusCode()).isEqualTo(200);
    }

    /** If-Range with a stale validator sends the whole file; with the current ETag, the range. */
    @Test
    void ifRangeDecidesBetweenRangeAndWholeFile() {
        String etag = get("/api/files/plain.txt").headers().firstValue("ETag").orElseThrow();
        assertThat(get("/api/files/plain.txt", "Range", "bytes=0-0", "If-Range", etag).statusCode()).isEqualTo(206);
        assertThat(get("/api/files/plain.txt", "Range", "bytes=0-0", "If-Range", "\"stale\"").statusCode()).isEqualTo(200);
    }

    /** HEAD /api/files/{path} gives the headers and no body. */
    @Test
    void headGivesHeadersOnly() {
        HttpResponse<byte[]> r = send("HEAD", "/api/files/plain.txt", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Length")).hasValue("20");
        assertThat(r.body()).isEmpty();
    }

    /** Downloading a directory is a 409 problem; a missing file a 404. */
    @Test
    void downloadingADirectoryOrAMissingFileIsAProblem() {
        assertProblem(get("/api/files/docs"), 409, "is-a-directory");
        assertProblem(get("/api/files/docs/missing.bin"), 404, "not-found");
    }

    /** PUT /api/files/{path} stores a new file (201, Location) and replaces an existing one (200); no hidden part remains. */
    @Test
    void uploadsAndReplacesAFile() throws IOException {
        Files.createDirectories(DATA.resolve("up"));
        HttpResponse<byte[]> created = send("PUT", "/api/files/up/new.txt", "first".getBytes(StandardCharsets.UTF_8));
        assertThat(created.statusCode()).as(text(created)).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/api/files/up/new.txt");
        assertThat(json(created).get("size").asLong()).isEqualTo(5);
        assertThat(Files.readString(DATA.resolve("up/new.txt"))).isEqualTo("first");

        HttpResponse<byte[]> replaced = send("PUT", "/api/files/up/new.txt", "second version".getBytes(StandardCharsets.UTF_8));
        assertThat(replaced.statusCode()).isEqualTo(200);
        assertThat(Files.readString(DATA.resolve("up/new.txt"))).isEqualTo("second version");
        assertThat(text(get("/api/files/up/new.txt"))).isEqualTo("second version");
        assertThat(partials()).isEmpty();
    }

    /** An upload onto a symbolic link that points out of the data directory replaces the link itself: nothing is written through it. */
    @Test
    void uploadOntoALinkPointingOutReplacesTheLink() throws IOException {
        Path dir = Files.createDirectories(DATA.resolve("up-link"));
        Files.createSymbolicLink(dir.resolve("out"), Path.of("../../secret.txt"));
        var before = outside();
        HttpResponse<byte[]> r = send("PUT", "/api/files/up-link/out", "replaced".getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
        assertThat(Files.isSymbolicLink(dir.resolve("out"))).isFalse();
        assertThat(Files.readString(dir.resolve("out"))).isEqualTo("replaced");
        assertThat(outside()).isEqualTo(before);
    }

    /** A large upload arrives byte for byte. */
    @Test
    void uploadsALargeFileExactly() throws IOException {
        Files.createDirectories(DATA.resolve("up"));
        byte[] content = new byte[5 * 1024 * 1024 + 3];
        new Random(11).nextBytes(content);
        HttpResponse<byte[]> r = send("PUT", "/api/files/up/large.bin", content);
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(Files.readAllBytes(DATA.resolve("up/large.bin"))).isEqualTo(content);
        assertThat(partials()).isEmpty();
    }

    /** Uploading into a missing directory is a 404, onto a directory a 409, below a file a 409: nothing is stored. */
    @Test
    void uploadsThatCannotBeStoredAreProblems() throws IOException {
        assertProblem(send("PUT", "/api/files/no-such-dir/a.txt", new byte[] {1}), 404, "no-parent");
        assertProblem(send("PUT", "/api/files/docs", new byte[] {1}), 409, "is-a-directory");
        assertProblem(send("PUT", "/api/files/plain.txt/a.txt", new byte[] {1}), 409, "not-a-directory");
        assertThat(DATA.resolve("no-such-dir")).doesNotExist();
        assertThat(Files.readString(DATA.resolve("plain.txt"))).isEqualTo("0123456789abcdefghij");
        assertThat(partials()).isEmpty();
    }

    /** An upload cut off midway (the client sends part of the body, then closes the socket) leaves no file and no hidden part. */
    @Test
    void uploadCutOffMidwayLeavesNothing() throws IOException {
        Path dir = Files.createDirectories(DATA.resolve("cut"));
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(("PUT /api/files/cut/big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + BASIC + "\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: 4194304\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(new byte[256 * 1024]);
            out.flush();
            // The server is midway: its hidden file has received bytes.
            await().atMost(Duration.ofSeconds(60)).until(() -> partSize(dir) > 0);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> partials().isEmpty());
        assertThat(dir.resolve("big.bin")).doesNotExist();
        try (var entries = Files.list(dir)) {
            assertThat(entries).isEmpty();
        }
    }

    /** The same with a chunked body: cut off between chunks, nothing is left. */
    @Test
    void chunkedUploadCutOffMidwayLeavesNothing() throws IOException {
        Path dir = Files.createDirectories(DATA.resolve("cut-chunked"));
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(("PUT /api/files/cut-chunked/big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + BASIC + "\r\n"
                    + "Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < 4; i++) {
                out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            out.flush();
            await().atMost(Duration.ofSeconds(60)).until(() -> partSize(dir) > 0);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> partials().isEmpty());
        try (var entries = Files.list(dir)) {
            assertThat(entries).isEmpty();
        }
    }

    /** An upload declaring more than sample.max-upload-size is refused with 413 before its body is read; nothing is stored. */
    @Test
    void uploadBiggerThanTheLimitIsRefused() throws IOException {
        Files.createDirectories(DATA.resolve("up"));
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(60_000);
            s.getOutputStream().write(("PUT /api/files/up/huge.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + BASIC + "\r\nConnection: close\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: " + (64L << 20) + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            byte[] head = new byte[12];
            int n = s.getInputStream().readNBytes(head, 0, head.length);
            assertThat(new String(head, 0, n, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 413");
        }
        assertThat(DATA.resolve("up/huge.bin")).doesNotExist();
        await().atMost(Duration.ofSeconds(60)).until(() -> partials().isEmpty());
    }

    private static long partSize(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().startsWith(".aio-upload-"))
                    .mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** POST /api/dirs/{path} makes a directory (201); again, 409; under a missing parent, 404. */
    @Test
    void makesDirectories() {
        HttpResponse<byte[]> made = send("POST", "/api/dirs/made", null);
        assertThat(made.statusCode()).isEqualTo(201);
        assertThat(json(made).get("type").asString()).isEqualTo("directory");
        assertThat(DATA.resolve("made")).isDirectory();
        assertProblem(send("POST", "/api/dirs/made", null), 409, "exists");
        assertProblem(send("POST", "/api/dirs/no-such/child", null), 404, "not-found");
    }

    /** GET /api/du/{path} sums a subtree: files, directories, bytes. */
    @Test
    void duSumsASubtree() throws IOException {
        tree("du-tree", 3, 5, 1000);
        JsonNode du = json(get("/api/du/du-tree"));
        assertThat(du.get("path").asString()).isEqualTo("du-tree");
        assertThat(du.get("files").asLong()).isEqualTo(15);
        assertThat(du.get("directories").asLong()).isEqualTo(4);
        assertThat(du.get("bytes").asLong()).isEqualTo(15_000);
        assertThat(du.get("allocatedBytes").asLong()).isPositive();
        assertThat(json(get("/api/du/plain.txt")).get("files").asLong()).isEqualTo(1);
        assertProblem(get("/api/du/no-such-tree"), 404, "not-found");
    }

    /** The actuator exposes health (with aio), info, metrics (the aio meters), prometheus and aio. */
    @Test
    void actuatorExposesHealthInfoMetricsPrometheusAndAio() {
        JsonNode health = json(get("/actuator/health"));
        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/aio/status").asString()).isEqualTo("UP");
        assertThat(json(get("/actuator/info")).at("/sample/priority/background").asInt()).isEqualTo(-2);
        JsonNode metrics = json(get("/actuator/metrics"));
        List<String> names = new ArrayList<>();
        metrics.get("names").forEach(n -> names.add(n.asString()));
        assertThat(names).contains("aio.requests.outstanding", "aio.requests.ready", "aio.threads");
        assertThat(json(get("/actuator/metrics/aio.requests.ready")).get("availableTags").toString()).contains("priority");
        String prometheus = text(get("/actuator/prometheus"));
        assertThat(prometheus).contains("aio_requests_ready", "aio_threads", "priority=\"-2\"");
        JsonNode aio = json(get("/actuator/aio"));
        // Whether requests are jailed, never where the data directory is.
        assertThat(aio.at("/settings/jailed").asBoolean()).isTrue();
        assertThat(aio.toString()).doesNotContain(DATA.toString());
        assertThat(health.toString()).doesNotContain(BASE.toString());
        assertThat(aio.at("/requests/readyByPriority").propertyNames()).hasSize(9);
    }

    /** The dashboard is served at / with its script and styles, and refers to nothing outside the application. */
    @Test
    void servesTheDashboard() {
        String html = text(get("/"));
        assertThat(html).contains("chart-queue", "chart-threads", "chart-rate", "chart-wait", "dashboard.js");
        assertThat(html).doesNotContain("http://", "https://");
        String js = text(get("/dashboard.js"));
        assertThat(js).contains("actuator/aio", "api/jobs").doesNotContain("http://", "https://");
        assertThat(get("/dashboard.css").statusCode()).isEqualTo(200);
    }

    /** An unknown API path is a 404 problem. */
    @Test
    void unknownPathIsAProblem() {
        HttpResponse<byte[]> r = get("/api/nothing-here");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
    }

    private static JsonNode entry(JsonNode listing, String name) {
        for (JsonNode e : listing.get("entries")) {
            if (e.get("name").asString().equals(name)) {
                return e;
            }
        }
        throw new AssertionError(name + " not in " + listing);
    }
}
