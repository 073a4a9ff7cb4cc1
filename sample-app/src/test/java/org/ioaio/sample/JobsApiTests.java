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
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.ioaio.sample.jobs.Job;
import org.ioaio.sample.jobs.JobService;
import org.ioaio.spring.boot.AioTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Background jobs: du, copy, move, delete; listing and cancelling; checks before a job starts; priorities. */
class JobsApiTests extends AppTestSupport {

    @Autowired
    private JobService jobs;

    @Autowired
    private AioTemplate aio;

    private long start(Map<String, String> request) {
        HttpResponse<byte[]> r = postJson("/api/jobs", request);
        assertThat(r.statusCode()).as(text(r)).isEqualTo(202);
        long id = json(r).get("id").asLong();
        assertThat(r.headers().firstValue("Location")).hasValue("/api/jobs/" + id);
        return id;
    }

    /** A du job sums a tree and shows the result, its priority and done = total. */
    @Test
    void duJobSumsATree() throws IOException {
        tree("job-du", 4, 6, 500);
        long id = start(Map.of("op", "du", "src", "job-du"));
        JsonNode job = awaitJob(id, "succeeded");
        assertThat(job.get("op").asString()).isEqualTo("du");
        assertThat(job.get("priority").asInt()).isEqualTo(-2);
        assertThat(job.at("/result/files").asLong()).isEqualTo(24);
        assertThat(job.at("/result/directories").asLong()).isEqualTo(5);
        assertThat(job.at("/result/bytes").asLong()).isEqualTo(12_000);
        assertThat(job.get("done").asLong()).isEqualTo(job.get("total").asLong());
        assertThat(job.get("finished").isString()).isTrue();
    }

    /** A copy job copies a tree: the destination has the same files and bytes, no hidden part remains. */
    @Test
    void copyJobCopiesATree() throws IOException {
        Path src = tree("job-copy-src", 3, 7, 3000);
        Files.createSymbolicLink(src.resolve("d0/link-inside"), Path.of("f1.bin"));
        Files.createSymbolicLink(src.resolve("d0/link-out"), Path.of("../../../secret.txt"));
        long id = start(Map.of("op", "copy", "src", "job-copy-src", "dst", "job-copy-dst"));
        JsonNode job = awaitJob(id, "succeeded");
        assertThat(job.get("bytesDone").asLong()).isEqualTo(3 * 7 * 3000);
        assertThat(job.get("skipped").asLong()).as("the link pointing out is left out").isEqualTo(1);
        Path dst = DATA.resolve("job-copy-dst");
        Map<String, String> copied = snapshot(dst);
        Map<String, String> original = snapshot(src);
        original.remove("d0/link-out");
        assertThat(copied.keySet()).isEqualTo(original.keySet());
        for (String k : original.keySet()) {
            if (original.get(k).startsWith("file ")) {
                assertThat(copied.get(k).split(" ")[1]).as(k).isEqualTo(original.get(k).split(" ")[1]);
            }
        }
        assertThat(Files.readSymbolicLink(dst.resolve("d0/link-inside"))).isEqualTo(Path.of("f1.bin"));
        assertThat(partials()).isEmpty();
    }

    /** A copy job of one file copies it. */
    @Test
    void copyJobCopiesAFile() throws IOException {
        long id = start(Map.of("op", "copy", "src", "plain.txt", "dst", "docs/plain-copy.txt"));
        awaitJob(id, "succeeded");
        assertThat(Files.readString(DATA.resolve("docs/plain-copy.txt"))).isEqualTo("0123456789abcdefghij");
    }

    /** A copy job cancelled midway leaves no destination and no partial copy, the source intact, and no request in the engine. */
    @Test
    void copyJobCancelledMidwayLeavesNothing() throws IOException {
        Path src = tree("cancel-src", 4, 10, 8192);
        Map<String, String> before = snapshot(src);
        // Six entries are copied (the tree copy's steps), then every worker finishing another is held.
        gate.holdAfterOpens(6);
        long id;
        try {
            id = start(Map.of("op", "copy", "src", "cancel-src", "dst", "cancel-dst"));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                JsonNode j = json(get("/api/jobs/" + id));
                return gate.held() > 0 && "copying".equals(j.get("phase").asString());
            });
            JsonNode midway = json(get("/api/jobs/" + id));
            assertThat(midway.get("state").asString()).isEqualTo("running");
            assertThat(midway.get("done").asLong()).isLessThan(midway.get("total").asLong());
            assertThat(partials()).as("the partial copy exists while the job runs").isNotEmpty();

            HttpResponse<byte[]> cancel = delete("/api/jobs/" + id);
            assertThat(cancel.statusCode()).isEqualTo(202);
            assertThat(json(cancel).get("state").asString()).isEqualTo("cancelling");
        } finally {
            gate.release();
        }
        awaitJob(id, "cancelled");
        assertThat(DATA.resolve("cancel-dst")).doesNotExist();
        assertThat(partials()).isEmpty();
        assertThat(snapshot(src)).isEqualTo(before);
        await().atMost(Duration.ofSeconds(60)).until(() -> engine.nreqs() == 0);
    }

    /** A move job renames a tree. */
    @Test
    void moveJobMovesATree() throws IOException {
        Path src = tree("move-src", 2, 3, 100);
        Map<String, String> before = snapshot(src);
        long id = start(Map.of("op", "move", "src", "move-src", "dst", "docs/moved"));
        awaitJob(id, "succeeded");
        assertThat(src).doesNotExist();
        assertThat(snapshot(DATA.resolve("docs/moved")).keySet()).isEqualTo(before.keySet());
    }

    /** A delete job removes a tree, symbolic links inside it as links (their targets stay). */
    @Test
    void deleteJobRemovesATree() throws IOException {
        Path victim = tree("delete-me", 3, 4, 100);
        Files.createSymbolicLink(victim.resolve("to-docs"), Path.of("../docs"));
        long id = start(Map.of("op", "delete", "src", "delete-me"));
        JsonNode job = awaitJob(id, "succeeded");
        assertThat(victim).doesNotExist();
        assertThat(DATA.resolve("docs/hello.txt")).exists();
        assertThat(job.get("done").asLong()).isEqualTo(job.get("total").asLong()).isEqualTo(3 * 4 + 1 + 4);
    }

    /** A delete job of a symbolic link removes the link, not what it points to. */
    @Test
    void deleteJobOfALinkRemovesTheLinkOnly() throws IOException {
        Files.createSymbolicLink(DATA.resolve("link-to-plain"), Path.of("plain.txt"));
        awaitJob(start(Map.of("op", "delete", "src", "link-to-plain")), "succeeded");
        assertThat(DATA.resolve("link-to-plain")).doesNotExist();
        assertThat(DATA.resolve("plain.txt")).exists();
    }

    /** GET /api/jobs lists jobs newest first; an unknown job is a 404 problem. */
    @Test
    void listsJobsNewestFirst() throws IOException {
        tree("list-a", 1, 1, 10);
        long first = start(Map.of("op", "du", "src", "list-a"));
        long second = start(Map.of("op", "du", "src", "list-a"));
        awaitJob(second, "succeeded");
        JsonNode all = json(get("/api/jobs"));
        assertThat(all.get(0).get("id").asLong()).isEqualTo(second);
        assertThat(all.get(1).get("id").asLong()).isEqualTo(first);
        assertProblem(get("/api/jobs/999999"), 404, "no-such-job");
    }

    /** DELETE on a finished job is a 409 problem: there is nothing to cancel. */
    @Test
    void cancellingAFinishedJobIsAConflict() throws IOException {
        tree("finished", 1, 1, 10);
        long id = start(Map.of("op", "du", "src", "finished"));
        awaitJob(id, "succeeded");
        assertProblem(delete("/api/jobs/" + id), 409, "job-finished");
    }

    /** Requests that cannot start a job are problems, and start none: unknown op, missing fields, missing source, existing destination, a directory into itself, the data directory itself. */
    @Test
    void badJobRequestsAreProblems() throws IOException {
        tree("bad-src", 1, 1, 10);
        int before = json(get("/api/jobs")).size();
        assertProblem(postJson("/api/jobs", Map.of("op", "shred", "src", "docs")), 400, "unknown-op");
        assertProblem(postJson("/api/jobs", Map.of("op", "copy", "src", "docs")), 400, "missing-field");
        assertProblem(postJson("/api/jobs", Map.of("op", "du")), 400, "missing-field");
        assertProblem(postJson("/api/jobs", Map.of("op", "copy", "src", "no-such", "dst", "x")), 404, "not-found");
        assertProblem(postJson("/api/jobs", Map.of("op", "copy", "src", "bad-src", "dst", "docs")), 409, "exists");
        assertProblem(postJson("/api/jobs", Map.of("op", "copy", "src", "bad-src", "dst", "bad-src/inner")), 409, "into-itself");
        assertProblem(postJson("/api/jobs", Map.of("op", "copy", "src", "bad-src", "dst", "no-such/x")), 404, "not-found");
        assertProblem(postJson("/api/jobs", Map.of("op", "copy", "src", "bad-src", "dst", "plain.txt/x")), 409, "not-a-directory");
        assertProblem(postJson("/api/jobs", Map.of("op", "delete", "src", "")), 400, "root");
        assertProblem(postJson("/api/jobs", Map.of("op", "move", "src", "bad-src", "dst", "")), 400, "root");
        HttpResponse<byte[]> notJson = send("POST", "/api/jobs", "{not json".getBytes(), "Content-Type", "application/json");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        assertThat(json(get("/api/jobs")).size()).isEqualTo(before);
    }

    /** With every worker busy, a listing queued after a job's request runs before it: interactive requests have the higher priority. */
    @Test
    void interactiveRequestsOvertakeBackgroundJobs() throws Exception {
        tree("prio", 2, 2, 10);
        engine.maxParallel(1);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Object> blocker = null;
        try {
            // The only worker is busy with a task of ours: everything else queues.
            blocker = aio.custom(() -> {
                entered.countDown();
                release.await(60, TimeUnit.SECONDS);
                return null;
            });
            assertThat(entered.await(60, TimeUnit.SECONDS)).isTrue();
            Job job = jobs.startDu("prio");
            await().atMost(Duration.ofSeconds(60)).until(() -> engine.nreadyByPriority()[-2 + 4] >= 1);
            CompletableFuture<HttpResponse<byte[]>> listing = CompletableFuture.supplyAsync(() -> get("/api/dirs/prio"));
            await().atMost(Duration.ofSeconds(60)).until(() -> engine.nreadyByPriority()[2 + 4] >= 1);

            gate.record();
            release.countDown();
            assertThat(listing.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            awaitJob(job.id(), "succeeded");
            assertThat(gate.recorded()).startsWith("custom", "readdirx");
        } finally {
            release.countDown();
            if (blocker != null) {
                blocker.get(60, TimeUnit.SECONDS);
            }
            engine.minParallel(8);
        }
    }
}
