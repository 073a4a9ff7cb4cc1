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
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue #13's races, as an attacker with a shell on the machine would run them against the sample:
 * threads swap directories and files for symbolic links leading out of the data directory while
 * jobs and endpoints work. Nothing outside changes (checksums of a canary tree), and nothing
 * outside is served or copied in. Every loop is bounded in rounds and time.
 */
class RaceTests extends AppTestSupport {

    private static final int DIRS = 12;
    private static final int FILES = 250;
    private static final long FLIP_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    private static final String SECRET = "the secret outside the data directory";

    /** A canary tree outside the data directory with the same shape (and names) as the tree inside. */
    private static Path canary(String name) throws IOException {
        Path top = Files.createDirectories(BASE.resolve("canary-" + name));
        for (int d = 0; d < DIRS; d++) {
            Path dir = Files.createDirectories(top.resolve("d" + d));
            for (int f = 0; f < FILES; f++) {
                Files.writeString(dir.resolve("f" + f + ".bin"), "canary " + d + "/" + f);
            }
        }
        return top;
    }

    /** Runs {@code flip} in a loop on another thread until {@code done} or the time bound; returns the thread. */
    private static Thread flipper(String name, AtomicBoolean done, AtomicReference<Throwable> failure, FlipStep flip) {
        return flipper(name, () -> true, done, failure, flip);
    }

    /** As above, flipping only once {@code when} holds (checked until the time bound). */
    private static Thread flipper(String name, java.util.function.BooleanSupplier when, AtomicBoolean done,
            AtomicReference<Throwable> failure, FlipStep flip) {
        Thread t = new Thread(() -> {
            long until = System.nanoTime() + FLIP_NANOS;
            int round = 0;
            try {
                while (!done.get() && !when.getAsBoolean() && System.nanoTime() - until < 0) {
                    Thread.onSpinWait();
                }
                while (!done.get() && System.nanoTime() - until < 0) {
                    flip.run(round++);
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, name);
        t.start();
        return t;
    }

    @FunctionalInterface
    private interface FlipStep {
        void run(int round) throws IOException;
    }

    /** Replaces {@code target} (a file or link) with a symbolic link to {@code to}, atomically. */
    private static void linkOver(Path target, Path to) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".flip");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, to);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private long start(Map<String, String> request) {
        HttpResponse<byte[]> r = postJson("/api/jobs", request);
        assertThat(r.statusCode()).as(text(r)).isEqualTo(202);
        return json(r).get("id").asLong();
    }

    /** The phase job {@code id} is in now ("" once it has none). */
    private String phase(long id) {
        JsonNode phase = json(get("/api/jobs/" + id)).get("phase");
        return phase == null || phase.isNull() ? "" : phase.asString();
    }

    private JsonNode awaitFinished(long id) {
        JsonNode[] last = new JsonNode[1];
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> {
            last[0] = json(get("/api/jobs/" + id));
            String s = last[0].get("state").asString();
            return !s.equals("running") && !s.equals("cancelling");
        });
        return last[0];
    }

    // A delete job whose subdirectories are moved away and replaced by links to a directory outside,
    // while it removes: it removes the links, never what they lead to.
    @Test
    void aDeleteJobNeverRemovesAnythingOutside() throws IOException {
        Path canary = canary("delete");
        Map<String, String> before = snapshot(canary);
        Path top = tree("race-delete", DIRS, FILES, 64);
        Path away = Files.createDirectories(BASE.resolve("away-delete"));
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long id = start(Map.of("op", "delete", "src", "race-delete"));
        Thread t = flipper("delete-flipper", () -> phase(id).equals("removing"), done, failure, round -> {
            int d = round % DIRS;
            Path dir = top.resolve("d" + d);
            try {
                if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    Files.move(dir, away.resolve("d" + d + "-" + round));
                }
                Files.createSymbolicLink(dir, canary.resolve("d" + d));
            } catch (NoSuchFileException | FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException gone) {
                // the job removed it first, or a link is already there: try the next one
            }
        });
        JsonNode job = awaitFinished(id);
        done.set(true);
        join(t);
        assertThat(failure.get()).isNull();
        Map<String, String> after = snapshot(canary);
        java.util.Set<String> changed = new java.util.TreeSet<>(before.keySet());
        changed.removeIf(k -> before.get(k).equals(after.get(k)));
        assertThat(changed).as("canary entries outside removed or changed (of " + before.size() + ") after " + job).isEmpty();
    }

    // A copy job whose source files are replaced by links to a file outside while it copies: no copy
    // holds the outside content, and none is served.
    @Test
    void aCopyJobNeverCopiesOutsideContentIn() throws IOException {
        Path src = tree("race-copy-src", DIRS, FILES, 64);
        Path secret = BASE.resolve("secret.txt");
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long id = start(Map.of("op", "copy", "src", "race-copy-src", "dst", "race-copy-dst"));
        Thread t = flipper("copy-flipper", () -> phase(id).equals("copying"), done, failure, round -> {
            Path f = src.resolve("d" + (round % DIRS)).resolve("f" + ((round / DIRS) % FILES) + ".bin");
            linkOver(f, round % 2 == 0 ? secret : Path.of("../../../secret.txt"));
        });
        JsonNode job = awaitFinished(id);
        done.set(true);
        join(t);
        assertThat(failure.get()).isNull();
        Path dst = DATA.resolve("race-copy-dst");
        if (Files.exists(dst)) {
            try (Stream<Path> all = Files.walk(dst)) {
                for (Path p : all.toList()) {
                    if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                        assertThat(Files.readString(p, StandardCharsets.ISO_8859_1)).as(p + " after " + job).doesNotContain(SECRET);
                    }
                    String rel = DATA.relativize(p).toString();
                    HttpResponse<byte[]> r = get("/api/files/" + rel);
                    assertThat(text(r)).as("GET " + rel).doesNotContain(SECRET);
                }
            }
        }
    }

    // A file that flips between a regular file and a link to a file outside: no GET serves the outside.
    @Test
    void aGetThroughAFlippingLinkNeverServesOutside() throws Exception {
        Path flip = DATA.resolve("flip.txt");
        Files.writeString(flip, "inside");
        Path regular = DATA.resolve("flip-regular.txt");
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = flipper("get-flipper", done, failure, round -> {
            if (round % 2 == 0) {
                linkOver(flip, round % 4 == 0 ? BASE.resolve("secret.txt") : Path.of("../secret.txt"));
            } else {
                Files.writeString(regular, "inside");
                Files.move(regular, flip, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        });
        AtomicInteger served = new AtomicInteger();
        try {
            for (int i = 0; i < 400 && t.isAlive(); i++) {
                HttpResponse<byte[]> r = get("/api/files/flip.txt");
                assertThat(text(r)).as("GET " + i).doesNotContain(SECRET);
                if (r.statusCode() == 200) {
                    served.incrementAndGet();
                }
            }
        } finally {
            done.set(true);
            join(t);
        }
        assertThat(failure.get()).isNull();
        assertThat(served.get()).as("some GETs were served from inside").isPositive();
    }

    // A directory that flips between a real directory and a link to a directory outside while files
    // are PUT into it: nothing is written outside, not even a partial upload.
    @Test
    void aPutIntoAFlippingDirectoryNeverWritesOutside() throws Exception {
        Path outsideDir = Files.createDirectories(BASE.resolve("outside-put"));
        Path dir = DATA.resolve("flip-dir");
        Files.createDirectories(dir);
        Path away = Files.createDirectories(BASE.resolve("away-put"));
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = flipper("put-flipper", done, failure, round -> {
            try {
                if (Files.isSymbolicLink(dir)) {
                    Files.delete(dir);
                    Files.createDirectory(dir);
                } else {
                    Files.move(dir, away.resolve("d" + round));
                    Files.createSymbolicLink(dir, round % 2 == 0 ? outsideDir : Path.of("../outside-put"));
                }
            } catch (NoSuchFileException | FileAlreadyExistsException e) {
                // raced with itself through a request's rename: next round
            }
        });
        try {
            for (int i = 0; i < 200 && t.isAlive(); i++) {
                send("PUT", "/api/files/flip-dir/f" + i + ".txt", ("upload " + i).getBytes(StandardCharsets.UTF_8));
            }
        } finally {
            done.set(true);
            join(t);
        }
        assertThat(failure.get()).isNull();
        try (Stream<Path> written = Files.list(outsideDir)) {
            assertThat(written.toList()).as("files written outside the data directory").isEmpty();
        }
    }

    private static void join(Thread t) {
        try {
            t.join(java.util.concurrent.TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(t.isAlive()).as(t.getName() + " ended").isFalse();
    }
}
