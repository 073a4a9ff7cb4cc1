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

package org.ioaio.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.ioaio.AioBackend;
import org.ioaio.AioConstants;
import org.ioaio.AioEngine;
import org.ioaio.spring.boot.reactive.ReactiveAioTemplate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.publisher.Flux;

/**
 * Under aio.root, submitting a request through AioTemplate or ReactiveAioTemplate makes no
 * filesystem call on the submitting thread (in WebFlux, the event loop): every path is resolved by
 * the engine's jail on a worker. The kernel is the witness: {@code strace} attached to the
 * submitting thread alone records every syscall that takes a file name while it submits.
 *
 * <p>Needs {@code strace} and the right to ptrace the JVM's own thread (root, no seccomp filter
 * against ptrace); skipped with the reason where the machine does not allow it.
 */
class SubmittingThreadTests {

    /** Every name the requests use starts with this, so a syscall on one of them is easy to find in the trace. */
    private static final String MARK = "zq-";
    private static final String PROBE = MARK + "probe-of-the-tracer";

    @TempDir
    Path tmp;

    // Submitting requests on every kind of path (relative, absolute under the root, climbing out, through a link out) makes no filesystem call on the submitting thread.
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = AioBackend.class, names = {"NIO", "NATIVE"})
    void submissionMakesNoFilesystemCallOnTheSubmittingThread(AioBackend backend) throws Exception {
        Path strace = Path.of("/usr/bin/strace");
        Assumptions.assumeTrue(Files.isExecutable(strace), "strace is not installed (apt-get install strace): the tracer this test needs");
        Path root = Files.createDirectory(tmp.resolve(MARK + "root"));
        Path outside = Files.createDirectory(tmp.resolve(MARK + "outside"));
        Files.writeString(outside.resolve(MARK + "secret"), "secret");
        Files.createDirectory(root.resolve(MARK + "sub"));
        Files.writeString(root.resolve(MARK + "sub/" + MARK + "f"), "inside");
        Files.createSymbolicLink(root.resolve(MARK + "link-out"), outside);
        Files.createSymbolicLink(root.resolve(MARK + "link-in"), Path.of(MARK + "sub"));
        Path trace = tmp.resolve("trace.txt");

        ExecutorService submitter = Executors.newSingleThreadExecutor(r -> new Thread(r, "submitter"));
        try (AioEngine engine = AioTemplateJailTests.engine(backend, 2); AioTemplate aio = new AioTemplate(engine, root)) {
            AioPoller poller = new AioPoller(engine, "tracing-poller", Duration.ofSeconds(5));
            poller.start();
            ReactiveAioTemplate reactive = new ReactiveAioTemplate(aio);
            try {
                String tid = submitter.submit(() -> Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString())
                        .get(30, TimeUnit.SECONDS);
                // Once untraced, so that what the JVM loads on first use is loaded.
                awaitAll(submitter.submit(() -> submitAll(aio, reactive, root, 0)).get(30, TimeUnit.SECONDS));

                Process tracer = new ProcessBuilder(strace.toString(), "-p", tid, "-e", "trace=%file", "-s", "4096", "-o", trace.toString())
                        .redirectErrorStream(true).start();
                BufferedReader out = new BufferedReader(new InputStreamReader(tracer.getInputStream(), StandardCharsets.UTF_8));
                String attached = awaitAttached(out, tid);
                Assumptions.assumeTrue(attached == null, () -> "strace cannot trace this JVM's threads here: " + attached);

                List<CompletableFuture<?>> requests = submitter.submit(() -> {
                    List<CompletableFuture<?>> all = submitAll(aio, reactive, root, 1);
                    Files.exists(root.resolve(PROBE)); // the control: a filesystem call the tracer must see
                    return all;
                }).get(30, TimeUnit.SECONDS);
                awaitAll(requests);

                tracer.destroy(); // SIGTERM: strace detaches and writes what it has
                assertThat(tracer.waitFor(30, TimeUnit.SECONDS)).as("strace exits").isTrue();
            } finally {
                submitter.shutdownNow();
                poller.stop();
            }
        }
        List<String> lines = Files.readAllLines(trace);
        assertThat(lines).as("the tracer saw the control call on the submitting thread").anyMatch(l -> l.contains(PROBE));
        assertThat(lines).as("filesystem calls on the submitting thread while it submitted")
                .filteredOn(l -> l.contains(MARK) && !l.contains(PROBE)).isEmpty();
    }

    /** Requests on every kind of path, through both templates, submitted (and subscribed) on the calling thread. */
    private static List<CompletableFuture<?>> submitAll(AioTemplate aio, ReactiveAioTemplate reactive, Path root, int round) {
        String sub = MARK + "sub";
        String f = sub + "/" + MARK + "f";
        String created = sub + "/" + MARK + "new-" + round;
        List<CompletableFuture<?>> all = new ArrayList<>();
        all.add(aio.stat(f));
        all.add(aio.stat(root.resolve(f).toString()));
        all.add(aio.lstat(MARK + "link-in"));
        all.add(aio.load(MARK + "link-in/" + MARK + "f"));
        all.add(aio.load(MARK + "link-out/" + MARK + "secret"));
        all.add(aio.stat("../" + MARK + "outside"));
        all.add(aio.readdir(sub));
        all.add(aio.open(created, AioConstants.O_WRONLY | AioConstants.O_CREAT, 0644).thenCompose(aio::close));
        all.add(aio.rename(f, sub + "/" + MARK + "g").thenCompose(v -> aio.rename(sub + "/" + MARK + "g", f)));
        all.add(aio.mkdir(sub + "/" + MARK + "dir-" + round, 0755));
        all.add(aio.symlink(MARK + "target", sub + "/" + MARK + "sym-" + round));
        all.add(aio.withPriority(3).stat(f));
        all.add(reactive.mono(t -> t.stat(f)).toFuture());
        all.add(reactive.mono(t -> t.load(root.resolve(f).toString())).toFuture());
        all.add(DataBufferUtils.join(reactive.readContent(f)).map(DataBufferUtils::release).toFuture());
        all.add(reactive.writeContent(Flux.empty(), sub + "/" + MARK + "written-" + round).toFuture());
        all.add(reactive.mono(t -> t.unlink(created)).toFuture());
        return all;
    }

    /** Waits until every request is done, whatever its outcome (refusals are expected). */
    private static void awaitAll(List<CompletableFuture<?>> requests) throws Exception {
        CompletableFuture.allOf(requests.stream().map(r -> r.handle((v, e) -> null)).toArray(CompletableFuture[]::new))
                .get(60, TimeUnit.SECONDS);
    }

    /** Reads strace's messages until it reports the thread attached: {@code null} then, else what it said instead. */
    private static String awaitAttached(BufferedReader out, String tid) throws IOException {
        StringBuilder said = new StringBuilder();
        for (String line; (line = out.readLine()) != null;) {
            if (line.contains("Process " + tid + " attached")) {
                return null;
            }
            said.append(line).append('\n');
        }
        return said.isEmpty() ? "strace exited without a word" : said.toString().strip();
    }
}
