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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** What a file-server user expects: delete, rename/move, paged and sorted listings, Content-Disposition, If-Match. */
class FileServerApiTests extends AppTestSupport {

    /** DELETE /api/files/{path} removes a file (204) and an empty directory (204); a missing one is a 404. */
    @Test
    void deletesAFileAndAnEmptyDirectory() throws IOException {
        Path dir = Files.createDirectories(DATA.resolve("del/empty"));
        Files.writeString(DATA.resolve("del/gone.txt"), "x");
        assertThat(delete("/api/files/del/gone.txt").statusCode()).isEqualTo(204);
        assertThat(DATA.resolve("del/gone.txt")).doesNotExist();
        assertThat(delete("/api/files/del/empty").statusCode()).isEqualTo(204);
        assertThat(dir).doesNotExist();
        assertProblem(delete("/api/files/del/gone.txt"), 404, "not-found");
    }

    /** Deleting a directory that holds entries is a 409 problem and removes nothing; a link is removed itself, not its target. */
    @Test
    void deleteRefusesANonEmptyDirectoryAndRemovesLinksThemselves() throws IOException {
        Files.createDirectories(DATA.resolve("del2/full"));
        Files.writeString(DATA.resolve("del2/full/keep.txt"), "keep");
        assertProblem(delete("/api/files/del2/full"), 409, "not-empty");
        assertThat(DATA.resolve("del2/full/keep.txt")).exists();
        Files.createSymbolicLink(DATA.resolve("del2/link"), Path.of("full"));
        assertThat(delete("/api/files/del2/link").statusCode()).isEqualTo(204);
        assertThat(DATA.resolve("del2/link")).doesNotExist();
        assertThat(DATA.resolve("del2/full/keep.txt")).exists();
        assertProblem(delete("/api/files/"), 409, "root");
    }

    /** POST /api/move renames one entry (200 with its metadata); onto an existing name or into itself it is a 409. */
    @Test
    void movesOneEntry() throws IOException {
        Files.createDirectories(DATA.resolve("mv/a"));
        Files.writeString(DATA.resolve("mv/a/f.txt"), "moved");
        Files.writeString(DATA.resolve("mv/taken.txt"), "taken");
        HttpResponse<byte[]> r = postJson("/api/move", Map.of("src", "mv/a", "dst", "mv/b"));
        assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
        assertThat(json(r).get("path").asString()).isEqualTo("mv/b");
        assertThat(Files.readString(DATA.resolve("mv/b/f.txt"))).isEqualTo("moved");
        assertThat(DATA.resolve("mv/a")).doesNotExist();
        assertProblem(postJson("/api/move", Map.of("src", "mv/b/f.txt", "dst", "mv/taken.txt")), 409, "exists");
        assertThat(Files.readString(DATA.resolve("mv/taken.txt"))).isEqualTo("taken");
        assertProblem(postJson("/api/move", Map.of("src", "mv/b", "dst", "mv/b/inner")), 409, "into-itself");
        assertProblem(postJson("/api/move", Map.of("src", "mv/none", "dst", "mv/other")), 404, "not-found");
        assertProblem(postJson("/api/move", Map.of("src", "mv/b", "dst", "../out")), 400, "dot-segment");
    }

    /** Listings page with offset and limit (total tells the full length) and sort by name, size, modified or type. */
    @Test
    void listingsPageAndSort() throws IOException {
        Path dir = Files.createDirectories(DATA.resolve("pages"));
        for (int i = 0; i < 7; i++) {
            Files.write(dir.resolve("f" + i + ".bin"), new byte[(i * 37) % 7 * 10]);
        }
        JsonNode all = json(get("/api/dirs/pages?sort=name"));
        assertThat(all.get("total").asInt()).isEqualTo(7);
        assertThat(names(all)).containsExactly("f0.bin", "f1.bin", "f2.bin", "f3.bin", "f4.bin", "f5.bin", "f6.bin");
        JsonNode page = json(get("/api/dirs/pages?sort=name&offset=2&limit=3"));
        assertThat(page.get("total").asInt()).isEqualTo(7);
        assertThat(page.get("offset").asInt()).isEqualTo(2);
        assertThat(names(page)).containsExactly("f2.bin", "f3.bin", "f4.bin");
        assertThat(names(json(get("/api/dirs/pages?sort=name&order=desc&limit=2")))).containsExactly("f6.bin", "f5.bin");
        JsonNode bySize = json(get("/api/dirs/pages?sort=size&order=desc"));
        List<Long> sizes = new ArrayList<>();
        bySize.get("entries").forEach(e -> sizes.add(e.get("size").asLong()));
        assertThat(sizes).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(names(json(get("/api/dirs/pages?sort=name&offset=10")))).isEmpty();
        assertProblem(get("/api/dirs/pages?sort=colour"), 400, "bad-sort");
        assertProblem(get("/api/dirs/pages?offset=-1"), 400, "bad-page");
    }

    /** Downloads name the file in Content-Disposition: inline, or attachment with ?download=true. */
    @Test
    void downloadsCarryContentDisposition() {
        assertThat(get("/api/files/docs/hello.txt").headers().firstValue("Content-Disposition"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("inline").contains("hello.txt"));
        assertThat(get("/api/files/docs/hello.txt?download=true").headers().firstValue("Content-Disposition"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("attachment").contains("hello.txt"));
    }

    /** PUT with If-Match replaces the file only while its ETag matches; otherwise 412 and the file is unchanged. */
    @Test
    void putHonoursIfMatch() throws IOException {
        Files.writeString(DATA.resolve("versioned.txt"), "v1");
        String etag = get("/api/files/versioned.txt").headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> ok = send("PUT", "/api/files/versioned.txt", "v2".getBytes(StandardCharsets.UTF_8), "If-Match", etag);
        assertThat(ok.statusCode()).as(text(ok)).isEqualTo(200);
        assertThat(Files.readString(DATA.resolve("versioned.txt"))).isEqualTo("v2");
        HttpResponse<byte[]> stale = send("PUT", "/api/files/versioned.txt", "v3".getBytes(StandardCharsets.UTF_8), "If-Match", etag);
        assertProblem(stale, 412, "precondition-failed");
        assertThat(Files.readString(DATA.resolve("versioned.txt"))).isEqualTo("v2");
        assertProblem(send("PUT", "/api/files/not-there.txt", "x".getBytes(StandardCharsets.UTF_8), "If-Match", "*"), 412, "precondition-failed");
        assertThat(DATA.resolve("not-there.txt")).doesNotExist();
        assertThat(partials()).isEmpty();
    }

    private static List<String> names(JsonNode listing) {
        List<String> names = new ArrayList<>();
        listing.get("entries").forEach(e -> names.add(e.get("name").asString()));
        return names;
    }
}
