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

package org.ioaio;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.AioConstants.O_RDWR;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Function;
import java.util.function.Supplier;
import org.ioaio.faults.FaultInjectingSyscalls;
import org.ioaio.internal.sys.NioSyscalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests on a fault-injecting syscall layer: injected EIO, ENOSPC and EINTR reach the callback
 * (status -1, errno) and the future ({@link AioException} with errno, operation, path) unchanged;
 * composite requests close what they opened whichever step fails; the counters stay true.
 */
@ExtendWith(EngineInvariants.class)
class FaultInjectionTest {

    private static final Errno[] FAULTS = {Errno.EIO, Errno.ENOSPC, Errno.EINTR};

    @TempDir
    Path dir;

    private FaultInjectingSyscalls faults;

    private AioEngine engine() {
        faults = new FaultInjectingSyscalls();
        return AioEngine.builder().minParallel(2).syscalls(faults.wrap(new NioSyscalls())).build();
    }

    /** What one callback saw. */
    private record Seen<T>(long status, int errno, T value, Throwable failure) {}

    /** Submits in callback form, flushes, returns what the callback saw (exactly once). */
    private static <T> Seen<T> callback(AioEngine aio, Function<AioCallback<T>, AioRequest> submit) {
        List<Seen<T>> seen = new ArrayList<>();
        submit.apply(r -> seen.add(new Seen<>(r.status(), r.errno(), r.value(), r.failure())));
        aio.flush();
        assertThat(seen).as("callback calls").hasSize(1);
        assertThat(aio.nreqs()).isZero();
        return seen.get(0);
    }

    private static AioException futureFailure(AioEngine aio, AioFuture<?> f) {
        aio.flush();
        assertThat(f).isDone();
        Throwable t = catchThrowable(f::join);
        assertThat(t).isInstanceOf(CompletionException.class);
        assertThat(t.getCause()).isInstanceOf(AioException.class);
        return (AioException) t.getCause();
    }

    private static <T> T value(AioEngine aio, AioFuture<T> f) {
        aio.flush();
        assertThat(f).isDone();
        return f.join();
    }

    /** Both forms fail with {@code errno}, naming {@code operation} and {@code path}. */
    private static <T> void assertFails(AioEngine aio, Errno errno, String operation, String path,
            Supplier<AioFuture<T>> future, Function<AioCallback<T>, AioRequest> callbackForm) {
        Seen<T> s = callback(aio, callbackForm);
        assertThat(Errno.describe(s.errno())).as("callback errno of %s", operation).isEqualTo(Errno.describe(errno.code()));
        assertThat(s.status()).isEqualTo(-1);
        assertThat(s.value()).isNull();
        assertThat(s.failure()).isInstanceOf(AioException.class);
        AioException e = futureFailure(aio, future.get());
        assertThat(e.error()).as("future errno of %s", operation).isEqualTo(errno);
        assertThat(e.operation()).isEqualTo(operation);
        assertThat(e.path()).isEqualTo(path);
        assertThat(aio.nreqs()).isZero();
    }

    // A failure the layer reports is what the request reports: each of EIO, ENOSPC, EINTR injected into the one syscall
    // of stat, lstat, statvfs, readlink, open, read (pread and read), write (pwrite and write), fsync, fdatasync,
    // truncate, unlink, rename, mkdir, chmod, utime, seek reaches the callback and the future unchanged.
    @Test
    void injectedErrnosReachBothFormsUnchanged() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "0123456789");
        Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("f"));
        Path other = dir.resolve("other");
        String fp = f.toString();
        try (AioEngine aio = engine(); AioFile h = value(aio, aio.open(f, O_RDWR, 0))) {
            for (Errno e : FAULTS) {
                record Case(String method, Runnable check) {}
                List<Case> cases = List.of(
                        new Case("stat", () -> assertFails(aio, e, "stat", fp, () -> aio.stat(f), cb -> aio.stat(f, cb))),
                        new Case("lstat", () -> assertFails(aio, e, "lstat", link.toString(), () -> aio.lstat(link), cb -> aio.lstat(link, cb))),
                        new Case("fstat", () -> assertFails(aio, e, "stat", fp, () -> aio.stat(h), cb -> aio.stat(h, cb))),
                        new Case("statvfs", () -> assertFails(aio, e, "statvfs", fp, () -> aio.statvfs(f), cb -> aio.statvfs(f, cb))),
                        new Case("readlink", () -> assertFails(aio, e, "readlink", link.toString(), () -> aio.readlink(link), cb -> aio.readlink(link, cb))),
                        new Case("realpath", () -> assertFails(aio, e, "realpath", link.toString(), () -> aio.realpath(link), cb -> aio.realpath(link, cb))),
                        new Case("open", () -> assertFails(aio, e, "open", fp, () -> aio.open(f, O_RDONLY, 0), cb -> aio.open(f, O_RDONLY, 0, cb))),
                        new Case("pread", () -> assertFails(aio, e, "read", fp, () -> aio.read(h, 0L, ByteBuffer.allocate(4)),
                                cb -> aio.read(h, 0L, ByteBuffer.allocate(4), cb))),
                        new Case("read", () -> assertFails(aio, e, "read", fp, () -> aio.read(h, null, 4, new byte[4], 0),
                                cb -> aio.read(h, null, 4, new byte[4], 0, cb))),
                        new Case("pwrite", () -> assertFails(aio, e, "write", fp, () -> aio.write(h, 0L, ByteBuffer.allocate(4)),
                                cb -> aio.write(h, 0L, ByteBuffer.allocate(4), cb))),
                        new Case("write", () -> assertFails(aio, e, "write", fp, () -> aio.write(h, null, 1, new byte[1], 0),
                                cb -> aio.write(h, null, 1, new byte[1], 0, cb))),
                        new Case("lseek", () -> assertFails(aio, e, "seek", fp, () -> aio.seek(h, 0, 0), cb -> aio.seek(h, 0, 0, cb))),
                        new Case("fsync", () -> assertFails(aio, e, "fsync", fp, () -> aio.fsync(h), cb -> aio.fsync(h, cb))),
                        new Case("fdatasync", () -> assertFails(aio, e, "fdatasync", fp, () -> aio.fdatasync(h), cb -> aio.fdatasync(h, cb))),
                        new Case("truncate", () -> assertFails(aio, e, "truncate", fp, () -> aio.truncate(f, 0), cb -> aio.truncate(f, 0, cb))),
                        new Case("ftruncate", () -> assertFails(aio, e, "truncate", fp, () -> aio.truncate(h, 0), cb -> aio.truncate(h, 0, cb))),
                        new Case("unlink", () -> assertFails(aio, e, "unlink", fp, () -> aio.unlink(f), cb -> aio.unlink(f, cb))),
                        new Case("rename", () -> assertFails(aio, e, "rename", fp, () -> aio.rename(f, other), cb -> aio.rename(f, other, cb))),
                        new Case("mkdir", () -> assertFails(aio, e, "mkdir", other.toString(), () -> aio.mkdir(other, 0755), cb -> aio.mkdir(other, 0755, cb))),
                        new Case("chmod", () -> assertFails(aio, e, "chmod", fp, () -> aio.chmod(f, 0), cb -> aio.chmod(f, 0, cb))),
                        new Case("utime", () -> assertFails(aio, e, "utime", fp, () -> aio.utime(f, 1.0, 1.0), cb -> aio.utime(f, 1.0, 1.0, cb))));
                for (Case c : cases) {
                    faults.clear().failAlways(c.method(), e);
                    int before = faults.injectedCount();
                    c.check().run();
                    assertThat(faults.injectedCount() - before).as("%s: one injection per request", c.method()).isEqualTo(2);
                }
            }
            faults.clear();
            assertThat(Files.readString(f)).as("no injected call did anything").isEqualTo("0123456789");
            assertThat(Files.exists(other)).isFalse();
            assertThat(value(aio, aio.stat(f)).permissions()).isNotZero();
        }
    }

    // failNth picks one call: the 2nd of three reads fails with the injected errno, the 1st and 3rd succeed.
    @Test
    void theChosenCallFailsAndOnlyIt() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "0123456789");
        try (AioEngine aio = engine(); AioFile h = value(aio, aio.open(f, O_RDONLY, 0))) {
            long already = faults.calls("pread");
            faults.failNth("pread", already + 2, Errno.EIO);
            List<Seen<Integer>> seen = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                seen.add(callback(aio, cb -> aio.read(h, 0L, ByteBuffer.allocate(4), cb)));
            }
            assertThat(seen).extracting(Seen::errno).containsExactly(0, Errno.EIO.code(), 0);
            assertThat(seen).extracting(Seen::status).containsExactly(4L, -1L, 4L);
            faults.failNth("stat", faults.calls("stat") + 1, Errno.EINTR);
            assertThat(futureFailure(aio, aio.stat(f)).error()).isEqualTo(Errno.EINTR);
            assertThat(value(aio, aio.stat(f)).size()).isEqualTo(10);
        }
    }

    // aio_slurp / aio_load "open, read and close": whichever step fails (open, fstat, pread, close), the request
    // reports that step's errno and the file is closed (close called once per successful open; no descriptor leaks).
    @Test
    void slurpAndLoadCloseWhatTheyOpenedWhicheverStepFails() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "0123456789");
        String fp = f.toString();
        try (AioEngine aio = engine()) {
            for (String step : List.of("fstat", "pread", "close")) {
                for (Errno e : FAULTS) {
                    faults.clear().failAlways(step, e);
                    long opens = faults.calls("open");
                    long closes = faults.calls("close");
                    assertFails(aio, e, "slurp", fp, () -> aio.slurp(f, 0, 0), cb -> aio.slurp(f, 0, 0, cb));
                    assertFails(aio, e, "load", fp, () -> aio.load(f), cb -> aio.load(f, cb));
                    assertThat(faults.calls("open") - opens).isEqualTo(4);
                    assertThat(faults.calls("close") - closes).as("%s failing with %s: every open closed", step, e).isEqualTo(4);
                }
            }
            faults.clear().failAlways("open", Errno.EIO);
            long closes = faults.calls("close");
            assertFails(aio, Errno.EIO, "slurp", fp, () -> aio.slurp(f, -3, 0), cb -> aio.slurp(f, -3, 0, cb));
            assertThat(faults.calls("close")).as("nothing opened, nothing to close").isEqualTo(closes);
            faults.clear().failAlways("pread", Errno.EIO).failAlways("close", Errno.ENOSPC);
            assertFails(aio, Errno.EIO, "slurp", fp, () -> aio.slurp(f, 0, 4), cb -> aio.slurp(f, 0, 4, cb));
            faults.clear();
            assertThat(UTF_8.decode(value(aio, aio.slurp(f, -3, 0))).toString()).isEqualTo("789");
        }
    }

    // aio_pathsync "open, fsync and close": an fsync or close failure is reported and the file is closed all the same.
    @Test
    void pathsyncClosesWhatItOpenedWhicheverStepFails() throws Exception {
        String dp = dir.toString();
        try (AioEngine aio = engine()) {
            for (String step : List.of("fsync", "close", "open")) {
                for (Errno e : FAULTS) {
                    faults.clear().failAlways(step, e);
                    long opens = faults.calls("open");
                    long closes = faults.calls("close");
                    assertFails(aio, e, "pathsync", dp, () -> aio.pathsync(dir), cb -> aio.pathsync(dir, cb));
                    long opened = step.equals("open") ? 0 : 2;
                    assertThat(faults.calls("open") - opens).isEqualTo(2);
                    assertThat(faults.calls("close") - closes).as("%s failing: every open closed", step).isEqualTo(opened);
                }
            }
        }
    }

    // aio_syncfs: "If syncfs is not available, calls sync(), but returns -1 and sets errno to ENOSYS nevertheless";
    // a real syncfs failure is reported as it is, without the sync.
    @Test
    void syncfsFallsBackToSyncAndStillReportsEnosys() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "x");
        try (AioEngine aio = engine(); AioFile h = value(aio, aio.open(f, O_RDONLY, 0))) {
            long syncs = faults.calls("sync");
            assertFails(aio, Errno.ENOSYS, "syncfs", f.toString(), () -> aio.syncfs(h), cb -> aio.syncfs(h, cb));
            assertThat(faults.calls("sync") - syncs).as("sync() called by each syncfs request").isEqualTo(2);
            faults.failAlways("syncfs", Errno.EIO);
            syncs = faults.calls("sync");
            assertFails(aio, Errno.EIO, "syncfs", f.toString(), () -> aio.syncfs(h), cb -> aio.syncfs(h, cb));
            assertThat(faults.calls("sync")).isEqualTo(syncs);
        }
    }

    // aio_sync_file_range: "If sync_file_range is not available or it returns ENOSYS, then fdatasync or fsync is being
    // substituted": the substitute runs, and its own failure is what the request reports.
    @Test
    void syncFileRangeFallsBackToFdatasync() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "x");
        try (AioEngine aio = engine(); AioFile h = value(aio, aio.open(f, O_RDWR, 0))) {
            long before = faults.calls("fdatasync");
            Seen<Void> s = callback(aio, cb -> aio.syncFileRange(h, 0, 0, 0, cb));
            assertThat(s.errno()).isZero();
            assertThat(s.status()).isZero();
            assertThat(faults.calls("fdatasync") - before).isEqualTo(1);
            faults.failAlways("fdatasync", Errno.EIO);
            assertFails(aio, Errno.EIO, "sync_file_range", f.toString(), () -> aio.syncFileRange(h, 0, 0, 0),
                    cb -> aio.syncFileRange(h, 0, 0, 0, cb));
            faults.clear().failAlways("syncFileRange", Errno.ENOSPC);
            before = faults.calls("fdatasync");
            assertFails(aio, Errno.ENOSPC, "sync_file_range", f.toString(), () -> aio.syncFileRange(h, 0, 0, 0),
                    cb -> aio.syncFileRange(h, 0, 0, 0, cb));
            assertThat(faults.calls("fdatasync")).as("only ENOSYS falls back").isEqualTo(before);
        }
    }

    // ~5000 random requests, a seeded 10% of all syscalls failing with EIO, ENOSPC or EINTR: every callback runs exactly
    // once, every future completes, each failure carries an injected errno, single-syscall requests fail exactly as often
    // as their syscall was failed, every file opened is closed, and nreqs/nready/npending return to 0.
    @Test
    void randomFaultsUnderLoadKeepEveryCounterTrue() throws Exception {
        int files = 8;
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            paths.add(Files.writeString(dir.resolve("f" + i), "content of file " + i));
            Files.createSymbolicLink(dir.resolve("l" + i), Path.of("f" + i));
        }
        int n = 5000;
        AtomicIntegerArray calls = new AtomicIntegerArray(n);
        int[] errnos = new int[n];
        String[] kinds = new String[n];
        List<AioFuture<?>> futures = new ArrayList<>();
        Map<Integer, AioFuture<?>> futureById = new HashMap<>();
        Set<Integer> faultCodes = Set.of(Errno.EIO.code(), Errno.ENOSPC.code(), Errno.EINTR.code());
        try (AioEngine aio = AioEngine.builder().minParallel(4).syscalls((faults = new FaultInjectingSyscalls()).wrap(new NioSyscalls())).build()) {
            AioFile shared = value(aio, aio.open(paths.get(0), O_RDWR, 0));
            try {
                faults.failRandomly(20260101L, 0.10);
                SplittableRandom random = new SplittableRandom(7);
                String[] ops = {"stat", "lstat", "readlink", "statvfs", "fdatasync", "read", "pwrite", "slurp", "load", "pathsync", "open"};
                for (int id = 0; id < n; id++) {
                    int me = id;
                    String op = ops[random.nextInt(ops.length)];
                    kinds[id] = op;
                    Path p = paths.get(random.nextInt(files));
                    Path l = dir.resolve("l" + random.nextInt(files));
                    boolean cbForm = random.nextBoolean();
                    AioCallback<Object> cb = r -> {
                        calls.incrementAndGet(me);
                        errnos[me] = r.errno();
                        if (r.value() instanceof AioFile opened) {
                            try {
                                opened.close();
                            } catch (AioException e) {
                                throw new IllegalStateException(e);
                            }
                        }
                    };
                    AioFuture<?> f = submit(aio, op, p, l, shared, cbForm ? cb : null);
                    if (f != null) {
                        futures.add(f);
                        futureById.put(id, f);
                    }
                    if (id % 500 == 499) {
                        aio.pollCb();
                    }
                }
                aio.flush();
                faults.clear();
            } finally {
                faults.clear();
                shared.close();
            }
            assertThat(aio.nreqs()).isZero();
            assertThat(aio.nready()).isZero();
            assertThat(aio.npending()).isZero();
            Map<String, List<Integer>> failedByKind = new HashMap<>();
            for (int id = 0; id < n; id++) {
                AioFuture<?> f = futureById.get(id);
                if (f == null) {
                    assertThat(calls.get(id)).as("callback calls of request %d (%s)", id, kinds[id]).isEqualTo(1);
                } else {
                    assertThat(calls.get(id)).isZero();
                    assertThat(f).as("future of request %d (%s)", id, kinds[id]).isDone();
                    Throwable t = catchThrowable(f::join);
                    if (t == null) {
                        errnos[id] = 0;
                        if (f.join() instanceof AioFile opened) {
                            opened.close();
                        }
                    } else {
                        assertThat(t.getCause()).isInstanceOf(AioException.class);
                        errnos[id] = ((AioException) t.getCause()).errno();
                    }
                }
                if (errnos[id] != 0) {
                    assertThat(faultCodes).as("errno of request %d (%s)", id, kinds[id]).contains(errnos[id]);
                    failedByKind.computeIfAbsent(kinds[id], k -> new ArrayList<>()).add(errnos[id]);
                }
            }
            assertThat(futures).allMatch(AioFuture::isDone);
            Map<String, List<Integer>> injectedByMethod = new HashMap<>();
            for (FaultInjectingSyscalls.Injection i : faults.injections()) {
                injectedByMethod.computeIfAbsent(i.method(), k -> new ArrayList<>()).add(i.errno());
            }
            for (String single : List.of("stat", "lstat", "readlink", "statvfs", "fdatasync", "read", "pwrite")) {
                assertThat(sorted(failedByKind.get(single))).as("failures of %s requests vs injections into %s", single, single)
                        .isEqualTo(sorted(injectedByMethod.get(single)));
            }
            assertThat(faults.injectedCount()).isGreaterThan(n / 20);
            assertThat(failedByKind.values().stream().mapToInt(List::size).sum()).isLessThanOrEqualTo(faults.injectedCount());
        }
    }

    private static List<Integer> sorted(List<Integer> l) {
        List<Integer> s = new ArrayList<>(l == null ? List.of() : l);
        s.sort(null);
        return s;
    }

    /** Submits one request of kind {@code op}: in callback form when {@code cb} is given (returns null), else as a future. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static AioFuture<?> submit(AioEngine aio, String op, Path p, Path l, AioFile shared, AioCallback cb) {
        boolean future = cb == null;
        switch (op) {
            case "stat":
                return future ? aio.stat(p) : with(aio.stat(p, cb));
            case "lstat":
                return future ? aio.lstat(l) : with(aio.lstat(l, cb));
            case "readlink":
                return future ? aio.readlink(l) : with(aio.readlink(l, cb));
            case "statvfs":
                return future ? aio.statvfs(p) : with(aio.statvfs(p, cb));
            case "fdatasync":
                return future ? aio.fdatasync(shared) : with(aio.fdatasync(shared, cb));
            case "read":
                return future ? aio.read(shared, null, ByteBuffer.allocate(8)) : with(aio.read(shared, null, ByteBuffer.allocate(8), cb));
            case "pwrite":
                return future ? aio.write(shared, 100L, ByteBuffer.allocate(8)) : with(aio.write(shared, 100L, ByteBuffer.allocate(8), cb));
            case "slurp":
                return future ? aio.slurp(p, 0, 0) : with(aio.slurp(p, 0, 0, cb));
            case "load":
                return future ? aio.load(p) : with(aio.load(p, cb));
            case "pathsync":
                return future ? aio.pathsync(p) : with(aio.pathsync(p, cb));
            case "open":
                return future ? aio.open(p, O_RDONLY, 0) : with(aio.open(p, O_RDONLY, 0, cb));
            default:
                throw new IllegalArgumentException(op);
        }
    }

    private static AioFuture<?> with(AioRequest ignored) {
        return null;
    }
}
