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

package org.ioaio.spring.boot.reactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.ioaio.AioConstants;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.AioFile;
import org.ioaio.AioListener;
import org.ioaio.Errno;
import org.ioaio.spring.boot.AioPoller;
import org.ioaio.spring.boot.AioTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** ReactiveAioTemplate: cold Monos, cancel propagation, file contents with backpressure, writing a publisher. */
class ReactiveAioTemplateTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final Map<String, AtomicInteger> executed = new ConcurrentHashMap<>();
    private AioEngine engine;
    private AioPoller poller;
    private ReactiveAioTemplate aio;

    @BeforeEach
    void setUp() throws Exception {
        AioListener counting = (op, wait, exec, errno) -> executed.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
        engine = AioEngine.builder().minParallel(2).listener(counting).build();
        poller = new AioPoller(engine, "reactive-test-poller", Duration.ofSeconds(5));
        poller.start();
        aio = new ReactiveAioTemplate(new AioTemplate(engine), 4, DefaultDataBufferFactory.sharedInstance);
    }

    @AfterEach
    void tearDown() throws Exception {
        poller.stop();
        assertThat(engine.close(Duration.ofSeconds(5))).isTrue();
        assertThat(engine.nreqs()).isZero();
        assertThat(openFilesUnder(dir)).as("files left open").isZero();
    }

    /** Any request is a Mono through mono(): statx of a missing path is an ENOENT error signal, of an existing one its status. */
    @Test
    void statxIsAMono() throws Exception {
        Files.writeString(dir.resolve("f"), "abc");
        StepVerifier.create(aio.mono(t -> t.statx(dir.resolve("f").toString(), 0, AioConstants.STATX_BASIC_STATS)))
                .assertNext(st -> assertThat(st.size()).isEqualTo(3)).verifyComplete();
        StepVerifier.create(aio.mono(t -> t.statx(dir.resolve("missing"), 0, AioConstants.STATX_BASIC_STATS)))
                .expectErrorSatisfies(e -> assertThat(((AioException) e).error()).isEqualTo(Errno.ENOENT)).verify(WAIT);
    }

    /** Nothing is submitted before subscription, and each subscription submits its own request. */
    @Test
    void monosAreCold() {
        Mono<Void> nop = aio.mono(t -> t.nop());
        assertThat(engine.nreqs()).isZero();
        StepVerifier.create(nop).verifyComplete();
        StepVerifier.create(nop).verifyComplete();
        assertThat(count("nop")).isEqualTo(2);
        StepVerifier.create(aio.mono(t -> t.custom(() -> "value"))).expectNext("value").verifyComplete();
    }

    /** A cancelled subscription cancels the queued request: it never executes. */
    @Test
    void cancellingTheSubscriptionCancelsTheRequest() {
        engine.maxParallel(0);
        Disposable subscription = aio.mono(t -> t.nop()).subscribe();
        await().atMost(WAIT).until(() -> engine.nready() == 1);
        subscription.dispose();
        engine.maxParallel(2);
        engine.minParallel(2);
        await().atMost(WAIT).until(() -> engine.cancellations() == 1 && engine.nreqs() == 0);
        assertThat(count("nop")).isZero();
    }

    /** Failures arrive as error signals carrying the errno. */
    @Test
    void failuresAreErrorSignals() {
        StepVerifier.create(aio.mono(t -> t.stat(dir.resolve("missing").toString())))
                .expectErrorSatisfies(e -> assertThat(((AioException) e).error()).isEqualTo(Errno.ENOENT)).verify(WAIT);
        StepVerifier.create(aio.readContent(dir.resolve("missing")))
                .expectErrorSatisfies(e -> assertThat(((AioException) e).error()).isEqualTo(Errno.ENOENT)).verify(WAIT);
    }

    /** readdir, readdirx and scandir are streams of entries. */
    @Test
    void directoriesAreStreams() throws Exception {
        Files.createDirectory(dir.resolve("sub"));
        Files.writeString(dir.resolve("f"), "f");
        StepVerifier.create(aio.readdir(dir).map(Path::toString).collectList())
                .assertNext(names -> assertThat(names).containsExactlyInAnyOrder("sub", "f")).verifyComplete();
        StepVerifier.create(aio.readdirx(dir.toString(), AioConstants.READDIR_DENTS | AioConstants.READDIR_DIRS_FIRST))
                .assertNext(e -> assertThat(e.name()).isEqualTo(Path.of("sub")))
                .assertNext(e -> assertThat(e.name()).isEqualTo(Path.of("f")))
                .verifyComplete();
        StepVerifier.create(aio.scandir(dir, 0))
                .expectNext(new ReactiveAioTemplate.ScanEntry(Path.of("sub"), true), new ReactiveAioTemplate.ScanEntry(Path.of("f"), false))
                .verifyComplete();
        StepVerifier.create(aio.readdir(dir.resolve("f")))
                .expectErrorSatisfies(e -> assertThat(((AioException) e).error()).isEqualTo(Errno.ENOTDIR)).verify(WAIT);
    }

    /** A file's content comes in chunks of the chunk size, and the file is closed at the end. */
    @Test
    void readContentInChunks() throws Exception {
        Path file = Files.writeString(dir.resolve("ten"), "0123456789");
        StepVerifier.create(aio.readContent(file).map(ReactiveAioTemplateTests::text))
                .expectNext("0123", "4567", "89").verifyComplete();
        assertThat(count("close")).isEqualTo(1);
        StepVerifier.create(aio.readContent(file.toString(), 64).map(ReactiveAioTemplateTests::text))
                .expectNext("0123456789").verifyComplete();
        StepVerifier.create(aio.readContent(Files.writeString(dir.resolve("empty"), ""))).verifyComplete();
    }

    /** Reads follow demand: one read request per requested chunk, none ahead. */
    @Test
    void readContentIssuesReadsOnlyOnDemand() throws Exception {
        Path file = Files.writeString(dir.resolve("ten"), "0123456789");
        StepVerifier.create(aio.readContent(file).map(ReactiveAioTemplateTests::text), 0)
                .expectSubscription()
                .then(() -> assertThat(count("read")).isZero())
                .thenRequest(1)
                .expectNext("0123")
                .then(() -> assertThat(count("read")).isEqualTo(1))
                .thenRequest(1)
                .expectNext("4567")
                .then(() -> assertThat(count("read")).isEqualTo(2))
                .thenCancel()
                .verify(WAIT);
        await().atMost(WAIT).until(() -> count("close") == 1 && engine.nreqs() == 0);
        assertThat(count("read")).isEqualTo(2);
    }

    /** Cancelling a read cancels the read in flight and closes the file. */
    @Test
    void cancellingAReadClosesTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("big"), "x".repeat(1000));
        StepVerifier.create(aio.readContent(file), 1).expectNextCount(1).thenCancel().verify(WAIT);
        await().atMost(WAIT).until(() -> count("close") == 1 && engine.nreqs() == 0);
    }

    /** Cancelled while the open is still queued: the open completes and its file is closed, never leaked. */
    @Test
    void cancellingBeforeTheOpenCompletesLeaksNoFile() throws Exception {
        Path file = Files.writeString(dir.resolve("ten"), "0123456789");
        engine.maxParallel(0);
        Disposable subscription = aio.readContent(file).subscribe();
        await().atMost(WAIT).until(() -> engine.nready() == 1);
        subscription.dispose();
        engine.maxParallel(2);
        engine.minParallel(2);
        await().atMost(WAIT).until(() -> count("open") == 1 && count("close") == 1 && engine.nreqs() == 0);
        assertThat(count("read")).isZero();
    }

    /** An open file's content from a position; the file stays open. */
    @Test
    void readContentOfAnOpenFile() throws Exception {
        Path file = Files.writeString(dir.resolve("ten"), "0123456789");
        AioFile f = aio.open(file, AioConstants.O_RDONLY, 0).block(WAIT);
        try {
            StepVerifier.create(aio.readContent(f, 6, 3).map(ReactiveAioTemplateTests::text)).expectNext("678", "9").verifyComplete();
            assertThat(f.isOpen()).isTrue();
        } finally {
            StepVerifier.create(aio.mono(t -> t.close(f))).verifyComplete();
        }
    }

    /** A publisher of buffers is written to a file in order, each buffer released; the file is closed. */
    @Test
    void writeContentWritesThePublisher() throws Exception {
        Path file = dir.resolve("out");
        Flux<DataBuffer> data = Flux.range(0, 100).map(i -> buffer(i + ","));
        StepVerifier.create(aio.writeContent(data, file.toString())).expectNext((long) expected().length()).verifyComplete();
        assertThat(Files.readString(file)).isEqualTo(expected());
        assertThat(count("close")).isEqualTo(1);
        StepVerifier.create(aio.writeContent(Flux.just(buffer("more")), file, AioConstants.O_WRONLY | AioConstants.O_APPEND, 0))
                .expectNext(4L).verifyComplete();
        assertThat(Files.readString(file)).isEqualTo(expected() + "more");
    }

    /** Writing respects backpressure: one buffer at a time is taken from the publisher. */
    @Test
    void writeContentRequestsOneBufferAtATime() {
        AtomicInteger maxRequested = new AtomicInteger();
        Flux<DataBuffer> data = Flux.range(0, 20).map(i -> buffer("b" + i))
                .doOnRequest(n -> maxRequested.accumulateAndGet((int) Math.min(n, Integer.MAX_VALUE), Math::max));
        StepVerifier.create(aio.writeContent(data, dir.resolve("bp"))).expectNextCount(1).verifyComplete();
        assertThat(maxRequested.get()).isEqualTo(1);
    }

    /** A failing publisher fails the write and still closes the file. */
    @Test
    void aFailingPublisherStillClosesTheFile() {
        Flux<DataBuffer> data = Flux.concat(Flux.just(buffer("abc")), Flux.error(new IllegalStateException("boom")));
        StepVerifier.create(aio.writeContent(data, dir.resolve("failed"))).expectErrorMessage("boom").verify(WAIT);
        await().atMost(WAIT).until(() -> count("close") == 1);
    }

    private static String expected() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            b.append(i).append(',');
        }
        return b.toString();
    }

    private static DataBuffer buffer(String s) {
        return DefaultDataBufferFactory.sharedInstance.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(DataBuffer buffer) {
        String s = buffer.toString(StandardCharsets.UTF_8);
        DataBufferUtils.release(buffer);
        return s;
    }

    private int count(String op) {
        AtomicInteger n = executed.get(op);
        return n == null ? 0 : n.get();
    }

    /** Descriptors of this process open on files under {@code dir} (Linux; 0 elsewhere). */
    private static long openFilesUnder(Path dir) throws Exception {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return 0;
        }
        Path real = dir.toRealPath();
        try (Stream<Path> s = Files.list(fds)) {
            return s.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).startsWith(real);
                } catch (Exception e) {
                    return false;
                }
            }).count();
        }
    }
}
