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

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The API never makes a filesystem call on Reactor Netty's event loop: every path is resolved by the
 * engine, on a worker, when the request runs. The kernel is the witness: {@code strace} attached to
 * the event-loop threads alone records every syscall that takes a file name while the API serves
 * listings, metadata, downloads, uploads, moves, deletes and a job, and none of them may name
 * anything under the test's directory (the data directory is in it; the JVM's class loader, which
 * may look up a class file on any thread, is not the application's doing). A test-only route that makes one
 * filesystem call on the event loop is the control that the tracer sees those threads.
 *
 * <p>Needs {@code strace} and the right to ptrace the JVM's own threads (root, no seccomp filter
 * against ptrace); skipped with the reason where the machine does not allow it.
 */
@Import(EventLoopSyscallsTests.ProbeRoute.class)
class EventLoopSyscallsTests extends AppTestSupport {

    /** The file the control route looks at, on the event loop. */
    private static final Path PROBE = BASE.resolve("zq-event-loop-probe");

    /** A route that makes one filesystem call on the event loop, for the test to see in the trace. */
    @TestConfiguration(proxyBeanMethods = false)
    static class ProbeRoute {
        @Bean
        RouterFunction<ServerResponse> eventLoopProbe() {
            return RouterFunctions.route().GET("/test/event-loop-probe",
                    request -> ServerResponse.ok().bodyValue(Boolean.toString(Files.exists(PROBE)))).build();
        }
    }

    // Serving the API makes no filesystem call on an event-loop thread (the control route's own call is seen).
    @Test
    void theApiMakesNoFilesystemCallOnTheEventLoop() throws Exception {
        Path strace = Path.of("/usr/bin/strace");
        Assumptions.assumeTrue(Files.isExecutable(strace), "strace is not installed (apt-get install strace): the tracer this test needs");
        serveTheApi(0); // once untraced: what the JVM loads on first use is loaded
        assertThat(text(get("/test/event-loop-probe"))).isEqualTo("false");
        List<String> loops = eventLoopThreads();
        assertThat(loops).as("Reactor Netty event-loop threads of this JVM, among %s", threadNames()).isNotEmpty();

        Path trace = Files.createTempFile("event-loop", ".strace");
        List<String> command = new ArrayList<>(List.of(strace.toString(), "-e", "trace=%file", "-s", "4096", "-o", trace.toString()));
        for (String tid : loops) {
            command.add("-p");
            command.add(tid);
        }
        Process tracer = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(tracer.getInputStream(), StandardCharsets.UTF_8));
            String failed = awaitAttached(out, loops.size());
            Assumptions.assumeTrue(failed == null, () -> "strace cannot trace this JVM's threads here: " + failed);

            serveTheApi(1);
            assertThat(text(get("/test/event-loop-probe"))).isEqualTo("false");
        } finally {
            tracer.destroy(); // SIGTERM: strace detaches and writes what it has
            assertThat(tracer.waitFor(30, TimeUnit.SECONDS)).as("strace exits").isTrue();
        }
        List<String> lines = Files.readAllLines(trace);
        Files.delete(trace);
        assertThat(lines).as("the tracer saw the control call on an event-loop thread").anyMatch(l -> l.contains(PROBE.toString()));
        // Only names under the test's directory count: the class loader may look up a class file on any thread.
        assertThat(lines).as("filesystem calls on the data directory from the event loop while it served the API")
                .filteredOn(l -> l.contains(BASE.toString()) && !l.contains(PROBE.toString())).isEmpty();
    }

    /** Listings, metadata, a download, an upload, a move, deletes and a job: each one request through the event loop. */
    private void serveTheApi(int round) throws Exception {
        String dir = "el-" + round;
        assertThat(send("POST", "/api/dirs/" + dir, new byte[0]).statusCode()).isEqualTo(201);
        assertThat(send("PUT", "/api/files/" + dir + "/a.txt", "hello".getBytes(StandardCharsets.UTF_8)).statusCode()).isBetween(200, 201);
        assertThat(get("/api/dirs/").statusCode()).isEqualTo(200);
        assertThat(get("/api/dirs/" + dir).statusCode()).isEqualTo(200);
        assertThat(get("/api/stat/" + dir + "/a.txt").statusCode()).isEqualTo(200);
        assertThat(text(get("/api/files/" + dir + "/a.txt"))).isEqualTo("hello");
        assertThat(postJson("/api/move", Map.of("src", dir + "/a.txt", "dst", dir + "/b.txt")).statusCode()).isEqualTo(200);
        assertThat(get("/api/files/" + dir + "/missing.txt").statusCode()).isEqualTo(404);
        assertThat(get("/api/du/" + dir).statusCode()).isEqualTo(200);
        assertThat(delete("/api/files/" + dir + "/b.txt").statusCode()).isBetween(200, 204);
        assertThat(postJson("/api/jobs", Map.of("op", "delete", "src", dir)).statusCode()).isEqualTo(202);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> !Files.exists(DATA.resolve(dir)));
    }

    /** The thread ids of this JVM's Reactor Netty event loops ({@code webflux-http-*} under Spring Boot, {@code reactor-http-*} otherwise). */
    private static List<String> eventLoopThreads() throws IOException {
        List<String> tids = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                String comm;
                try {
                    comm = Files.readString(task.resolve("comm")).strip();
                } catch (IOException e) {
                    continue; // a thread that ended meanwhile
                }
                if (comm.startsWith("webflux-http") || comm.startsWith("reactor-http")) {
                    tids.add(task.getFileName().toString());
                }
            }
        }
        return tids;
    }

    /** Every thread's name as the kernel knows it (for a failure message). */
    private static List<String> threadNames() throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.map(t -> {
                try {
                    return Files.readString(t.resolve("comm")).strip();
                } catch (IOException e) {
                    return "?";
                }
            }).sorted().toList();
        }
    }

    /** Reads strace's messages until it reports {@code n} threads attached: {@code null} then, else what it said instead. */
    private static String awaitAttached(BufferedReader out, int n) throws IOException {
        StringBuilder said = new StringBuilder();
        int attached = 0;
        for (String line; (line = out.readLine()) != null;) {
            if (line.contains(" attached")) {
                if (++attached == n) {
                    return null;
                }
                continue;
            }
            said.append(line).append('\n');
        }
        return said.isEmpty() ? "strace exited without a word" : said.toString().strip();
    }
}
