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

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.ioaio.AioBackend;
import org.ioaio.AioConstants;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.FileStat;
import org.ioaio.spring.boot.reactive.ReactiveAioTemplate;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.publisher.Flux;

/**
 * Symlink swaps against aio.root while requests run through AioTemplate and ReactiveAioTemplate:
 * a link inside the root flipping between a directory inside and a canary directory outside, a
 * link flipping between a file inside and a canary file outside, and a directory inside replaced
 * by a link to the canary directory and back, while reads, writes, stats, opens with O_CREAT,
 * unlinks and renames run through them. Nothing outside the root is read, written, created or
 * removed: the canary tree (and everything else outside the root) is unchanged, no content read is
 * the canary's and no status is a canary's.
 *
 * <p>Layout: {@code tmp/root} holds {@code d/} (with {@code f}), {@code f}, the link {@code L}
 * (to {@code d} or the canary directory), the link {@code LF} (to {@code f} or the canary's
 * {@code secret}) and {@code d2/} (with {@code f}; replaced by a link to the canary directory and
 * back); {@code tmp/canary} holds every name the requests use, so one that escaped would hit it.
 */
class AioTemplateJailRaceTests {

    /** Requests per backend at most (the race stops earlier at {@link #TIME_BOUND}). */
    private static final int REQUESTS = 10_000;
    /** Time the race may take at most per backend; a bound on the test's length, not an assertion. */
    private static final Duration TIME_BOUND = Duration.ofSeconds(40);
    private static final int BATCH = 64;
    private static final int NAMES = 8;
    private static final String CANARY = "CANARY-outside-the-root";
    private static final int CREATE = AioConstants.O_WRONLY | AioConstants.O_CREAT | AioConstants.O_TRUNC;

    @TempDir
    Path tmp;

    // While links inside the root flip between inside and a canary outside, thousands of requests through both templates never touch the canary.
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = AioBackend.class, names = {"NIO", "NATIVE"})
    void symlinksSwappedDuringRequestsNeverLetOneOut(AioBackend backend) throws Exception {
        Path root = Files.createDirectory(tmp.resolve("root"));
        Path canary = Files.createDirectory(tmp.resolve("canary"));
        Files.createDirectories(root.resolve("d"));
        Files.createDirectories(root.resolve("d2"));
        Files.writeString(root.resolve("d/f"), "inside d");
        Files.writeString(root.resolve("d2/f"), "inside d2");
        Files.writeString(root.resolve("f"), "inside f");
        Files.writeString(canary.resolve("secret"), CANARY + " secret");
        Files.writeString(canary.resolve("f"), CANARY + " f");
        for (int k = 0; k < NAMES; k++) {
            Files.writeString(canary.resolve("new-" + k), CANARY + " new-" + k);
            Files.writeString(canary.resolve("ren-" + k), CANARY + " ren-" + k);
        }
        Files.createSymbolicLink(root.resolve("L"), Path.of("d"));
        Files.createSymbolicLink(root.resolve("LF"), Path.of("f"));
        Map<String, String> before = snapshotOutside(root);
        Set<Long> canaryInodes = inodes(canary);

        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> flipperFailure = new AtomicReference<>();
        AtomicLong flips = new AtomicLong();
        CountDownLatch flipping = new CountDownLatch(3);
        List<Thread> flippers = List.of(
                flipper("flip-dir-link", stop, flipperFailure, flips, flipping, () -> {
                    relink(root, "L", Path.of("d"));
                    relink(root, "L", canary);
                    relink(root, "L", Path.of("d"));
                    relink(root, "L", Path.of("../canary"));
                }),
                flipper("flip-file-link", stop, flipperFailure, flips, flipping, () -> {
                    relink(root, "LF", Path.of("f"));
                    relink(root, "LF", canary.resolve("secret"));
                    relink(root, "LF", Path.of("f"));
                    relink(root, "LF", Path.of("../canary/secret"));
                }),
                flipper("flip-dir", stop, flipperFailure, flips, flipping, () -> {
                    Path d2 = root.resolve("d2");
                    Path parked = root.resolve("d2.parked");
                    Files.move(d2, parked);
                    Files.createSymbolicLink(d2, canary);
                    Files.delete(d2);
                    Files.createSymbolicLink(d2, Path.of("../canary"));
                    Files.delete(d2);
                    Files.move(parked, d2);
                }));

        Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
        List<String> leaks = new ArrayList<>();
        long submitted = 0;
        try (AioEngine engine = AioTemplateJailTests.engine(backend, 4); AioTemplate aio = new AioTemplate(engine, root)) {
            AioPoller poller = new AioPoller(engine, "race-poller", Duration.ofSeconds(5));
            poller.start();
            ReactiveAioTemplate reactive = new ReactiveAioTemplate(aio, 16, DefaultDataBufferFactory.sharedInstance);
            try {
                flippers.forEach(Thread::start);
                flipping.await(); // every flipper has gone round once
                long deadline = System.nanoTime() + TIME_BOUND.toNanos();
                for (int round = 0; submitted < REQUESTS && System.nanoTime() < deadline; round++) {
                    List<CompletableFuture<String>> batch = new ArrayList<>();
                    for (int i = 0; i < BATCH; i++) {
                        int n = round * BATCH + i;
                        batch.add(request(aio, reactive, n, canaryInodes));
                    }
                    submitted += batch.size();
                    for (CompletableFuture<String> f : batch) {
                        String outcome = f.get(60, TimeUnit.SECONDS);
                        if (outcome.startsWith("LEAK")) {
                            leaks.add(outcome);
                        }
                        outcomes.computeIfAbsent(outcome.startsWith("LEAK") ? "LEAK" : outcome, o -> new AtomicLong()).incrementAndGet();
                    }
                }
            } finally {
                stop.set(true);
                for (Thread t : flippers) {
                    t.join();
                }
                poller.stop();
            }
        }
        System.out.println("jail race on " + backend + ": " + submitted + " requests, " + flips.get() + " flip rounds, outcomes "
                + new TreeMap<>(outcomes));
        assertThat(flipperFailure.get()).isNull();
        assertThat(leaks).as("content or status of the canary seen through the root").isEmpty();
        assertThat(outcomes.keySet()).as("every failure is an AioException").allMatch(o -> !o.startsWith("UNEXPECTED"));
        assertThat(snapshotOutside(root)).as("everything outside the root").isEqualTo(before);
    }

    /**
     * One request, chosen by {@code n}, through the directory link, the swapped directory or the file link;
     * its outcome: {@code ok}, the errno's name, {@code LEAK ...} if it saw the canary, {@code UNEXPECTED ...}.
     */
    private static CompletableFuture<String> request(AioTemplate aio, ReactiveAioTemplate reactive, int n, Set<Long> canaryInodes) {
        String dir = n % 3 == 0 ? "d2" : "L";
        int k = (n / 3) % NAMES;
        String f = dir + "/f";
        String created = dir + "/new-" + k;
        String renamed = dir + "/ren-" + k;
        CompletableFuture<?> r = switch ((n / 3) % 16) {
            case 0 -> aio.load(f).thenApply(b -> content("load " + f, b));
            case 1 -> aio.load("LF").thenApply(b -> content("load LF", b));
            case 2 -> aio.stat(f).thenApply(s -> status("stat " + f, s, canaryInodes));
            case 3 -> aio.lstat(f).thenApply(s -> status("lstat " + f, s, canaryInodes));
            case 4 -> aio.stat("LF").thenApply(s -> status("stat LF", s, canaryInodes));
            case 5 -> aio.open(created, CREATE, 0644).thenCompose(file -> aio.write(file, 0L, ByteBuffer.wrap("written".getBytes(StandardCharsets.UTF_8)))
                    .handle((w, e) -> e).thenCompose(e -> aio.close(file)));
            case 6 -> aio.open("LF", AioConstants.O_RDWR, 0).thenCompose(file -> {
                ByteBuffer dst = ByteBuffer.allocate(64);
                return aio.read(file, 0L, dst).handle((w, e) -> dst.flip())
                        .thenCompose(b -> aio.write(file, 0L, ByteBuffer.wrap("inside f".getBytes(StandardCharsets.UTF_8))).handle((w, e) -> b))
                        .thenCompose(b -> aio.close(file).thenApply(v -> content("read LF", toBytes(b))));
            });
            case 7 -> aio.unlink(created);
            case 8 -> aio.rename(created, renamed);
            case 9 -> aio.rename(renamed, "d/back-" + k);
            case 10 -> reactive.mono(t -> t.load(f)).map(b -> content("reactive load " + f, b)).toFuture();
            case 11 -> DataBufferUtils.join(reactive.readContent("LF")).map(b -> content("reactive readContent LF", bytes(b))).toFuture();
            case 12 -> reactive.mono(t -> t.stat(f)).map(s -> status("reactive stat " + f, s, canaryInodes)).toFuture();
            case 13 -> reactive.writeContent(Flux.just(DefaultDataBufferFactory.sharedInstance.wrap("reactive".getBytes(StandardCharsets.UTF_8))),
                    created).toFuture();
            case 14 -> reactive.mono(t -> t.unlink(renamed)).toFuture();
            default -> reactive.mono(t -> t.rename(created, dir + "/new-" + ((k + 1) % NAMES))).toFuture();
        };
        return r.handle((v, e) -> {
            if (e == null) {
                return v instanceof String s && s.startsWith("LEAK") ? s : "ok";
            }
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            return cause instanceof AioException a ? a.error().name() : "UNEXPECTED " + cause;
        });
    }

    private static String content(String what, byte[] b) {
        return new String(b, StandardCharsets.UTF_8).contains(CANARY) ? "LEAK " + what + " read the canary" : "ok";
    }

    private static String status(String what, FileStat s, Set<Long> canaryInodes) {
        return canaryInodes.contains(s.ino()) ? "LEAK " + what + " reported the canary's inode " + s.ino() : "ok";
    }

    private static byte[] toBytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    private static byte[] bytes(DataBuffer b) {
        byte[] a = new byte[b.readableByteCount()];
        b.read(a);
        DataBufferUtils.release(b);
        return a;
    }

    /** A flip that may throw. */
    @FunctionalInterface
    private interface Flip {
        void run() throws Exception;
    }

    private static Thread flipper(String name, AtomicBoolean stop, AtomicReference<Throwable> failure, AtomicLong flips,
            CountDownLatch started, Flip flip) {
        return new Thread(() -> {
            try {
                while (!stop.get()) {
                    flip.run();
                    flips.incrementAndGet();
                    started.countDown();
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                started.countDown();
            }
        }, name);
    }

    /** Points the link {@code name} in {@code root} at {@code target}, atomically (a new link renamed over it). */
    private static void relink(Path root, String name, Path target) throws IOException {
        Path next = root.resolve(name + ".next");
        Files.createSymbolicLink(next, target);
        Files.move(next, root.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Every name outside {@code root} under the test's directory, with its type, inode, mode, times, and content digest or link target. */
    private Map<String, String> snapshotOutside(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> all = Files.walk(tmp)) {
            for (Path p : (Iterable<Path>) all.filter(p -> !p.startsWith(root))::iterator) {
                Map<String, Object> a = Files.readAttributes(p, "unix:ino,mode,size,lastModifiedTime,ctime", LinkOption.NOFOLLOW_LINKS);
                String what;
                if (Files.isSymbolicLink(p)) {
                    what = "link " + Files.readSymbolicLink(p);
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    what = "file " + digest(Files.readAllBytes(p));
                } else {
                    what = "dir";
                }
                m.put(tmp.relativize(p).toString(), what + " " + new TreeMap<>(a));
            }
        }
        return m;
    }

    private static Set<Long> inodes(Path dir) throws IOException {
        Set<Long> s = ConcurrentHashMap.newKeySet();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                s.add((Long) Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS));
            }
        }
        return s;
    }

    private static String digest(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
