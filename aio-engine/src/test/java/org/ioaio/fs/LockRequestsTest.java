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

package org.ioaio.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.ioaio.AioConstants.F_DUPFD_CLOEXEC;
import static org.ioaio.AioConstants.F_GETFL;
import static org.ioaio.AioConstants.F_RDLCK;
import static org.ioaio.AioConstants.F_SETLK;
import static org.ioaio.AioConstants.F_UNLCK;
import static org.ioaio.AioConstants.F_WRLCK;
import static org.ioaio.AioConstants.O_ACCMODE;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.AioConstants.O_RDWR;
import static org.ioaio.fs.FsTesting.assertFails;
import static org.ioaio.fs.FsTesting.await;
import static org.ioaio.fs.FsTesting.skipUnless;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.ioaio.AioBackend;
import org.ioaio.AioEngine;
import org.ioaio.AioFile;
import org.ioaio.AioFuture;
import org.ioaio.AioRequest;
import org.ioaio.EngineInvariants;
import org.ioaio.Errno;
import org.ioaio.RecordLock;
import org.ioaio.internal.Platform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Record locks as requests ({@code lock}, {@code unlock}, {@code getlk}) and the integer {@code
 * fcntl}, contended by a second JVM ({@link LockHolder}) holding the range: a waiting lock is granted
 * when the other process releases it, and a cancel, a deadline or a group's cancel ends the wait with
 * the worker free and the lock not taken (checked from a third open file description or a third process).
 */
@ExtendWith(EngineInvariants.class)
class LockRequestsTest {

    @TempDir
    Path dir;

    private static AioEngine engine(String backend, int threads) {
        if (backend.equals("native")) {
            skipUnless(Platform.nativeLayer().available(), "native layer not available: " + Platform.nativeLayer().reason());
            return AioEngine.builder().minParallel(threads).maxParallel(threads).backend(AioBackend.NATIVE).build();
        }
        return AioEngine.builder().minParallel(threads).maxParallel(threads).backend(AioBackend.NIO).build();
    }

    private Path file() throws Exception {
        return Files.write(dir.resolve("locked"), new byte[4096]);
    }

    /** The second JVM, holding an exclusive lock on a range until {@link #release()}. */
    static final class Holder implements AutoCloseable {
        final Process process;
        final BufferedReader out;
        final String first;

        Holder(Path file, String backend, String kind, long start, long length) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of(java));
            if (Runtime.version().feature() >= 22) {
                command.add("--enable-native-access=ALL-UNNAMED");
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                    LockHolder.class.getName(), file.toString(), backend, kind, Long.toString(start), Long.toString(length)));
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            first = out.readLine();
        }

        boolean locked() {
            return first != null && first.startsWith("LOCKED ");
        }

        long pid() {
            return Long.parseLong(first.substring("LOCKED ".length()));
        }

        void release() throws Exception {
            OutputStream in = process.getOutputStream();
            in.write('\n');
            in.flush();
            assertThat(out.readLine()).isEqualTo("UNLOCKED");
        }

        @Override
        public void close() throws java.io.IOException {
            process.getOutputStream().close();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            out.close();
            process.getErrorStream().close();
        }
    }

    private Holder hold(Path file, String backend, String kind) throws Exception {
        Holder h = new Holder(file, backend, kind, 100, 100);
        assertThat(h.first).as("the holder's report").startsWith("LOCKED ");
        return h;
    }

    /** Whether another process could take the range now: a third JVM tries and exits. */
    private boolean freeForAnotherProcess(Path file, String backend, String kind) throws Exception {
        try (Holder h = new Holder(file, backend, kind, 100, 100)) {
            if (h.locked()) {
                h.release();
                return true;
            }
            return false;
        }
    }

    private static void awaitUntil(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("never became true: %s", what).isNegative();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    // A lock without wait on a range another process holds fails with EAGAIN in both forms (native: F_OFD_SETLK and
    // F_SETLK; portable: FileChannel.tryLock), and getlk names the holder: pid -1 for an OFD lock, its pid for a process lock.
    @ParameterizedTest
    @ValueSource(strings = {"native ofd", "native process", "nio process"})
    void aRangeAnotherProcessHoldsIsRefusedWithEagain(String setup) throws Exception {
        String backend = setup.split(" ")[0];
        boolean process = setup.endsWith("process");
        Path p = file();
        try (AioEngine aio = engine(backend, 2); Holder holder = hold(p, backend, process ? "process" : "ofd");
                AioFile f = await(aio, aio.open(p, O_RDWR, 0))) {
            assertFails(aio, Errno.EAGAIN, "lock", f, () -> aio.lock(f, 150, 10, true, false, process),
                    cb -> aio.lock(f, 150, 10, true, false, process, cb));
            assertFails(aio, Errno.EAGAIN, "lock", f, () -> aio.lock(f, 0, 0, false, false, process),
                    cb -> aio.lock(f, 0, 0, false, false, process, cb));
            assertThat(await(aio, aio.lock(f, 0, 100, true, false, process))).as("the range before is free").isNull();
            if (backend.equals("native")) {
                RecordLock seen = await(aio, aio.getlk(f, 0, 0, false, process));
                assertThat(seen).isEqualTo(new RecordLock(F_WRLCK, 100, 100, process ? (int) holder.pid() : -1));
            } else {
                assertFails(aio, Errno.ENOSYS, "getlk", f, () -> aio.getlk(f, 0, 0, false, process),
                        cb -> aio.getlk(f, 0, 0, false, process, cb));
            }
            await(aio, aio.unlock(f, 0, 100, process));
        }
    }

    // A waiting lock is granted when the other process releases the range; then a third process cannot take it.
    @ParameterizedTest
    @ValueSource(strings = {"native ofd", "native process", "nio process"})
    void aWaitingLockIsGrantedWhenTheOtherProcessReleases(String setup) throws Exception {
        String backend = setup.split(" ")[0];
        boolean process = setup.endsWith("process");
        String kind = process ? "process" : "ofd";
        Path p = file();
        try (AioEngine aio = engine(backend, 2); AioFile f = await(aio, aio.open(p, O_RDWR, 0))) {
            AioFuture<Void> waiting;
            try (Holder holder = hold(p, backend, kind)) {
                waiting = aio.lock(f, 120, 10, true, true, process);
                awaitUntil("the lock request runs", () -> waiting.request().state() == AioRequest.State.EXECUTE);
                assertThat(waiting).as("granted while the other holds it").isNotDone();
                holder.release();
            }
            assertThat(await(aio, waiting)).isNull();
            assertThat(freeForAnotherProcess(p, backend, kind)).as("another process can take a range we hold").isFalse();
            await(aio, aio.unlock(f, 0, 0, process));
            assertThat(freeForAnotherProcess(p, backend, kind)).as("free after our unlock").isTrue();
        }
    }

    // cancel() ends a waiting lock at once (ECANCELED: the future is cancelled, the callback is skipped), its worker
    // serves the next request (one worker), and the lock is not taken later: another process can take the range once
    // the holder released it.
    @ParameterizedTest
    @ValueSource(strings = {"native ofd", "native process", "nio process"})
    void cancelEndsAWaitingLockAndFreesTheWorker(String setup) throws Exception {
        String backend = setup.split(" ")[0];
        boolean process = setup.endsWith("process");
        String kind = process ? "process" : "ofd";
        Path p = file();
        try (AioEngine aio = engine(backend, 1); AioFile f = await(aio, aio.open(p, O_RDWR, 0))) {
            try (Holder holder = hold(p, backend, kind)) {
                AioFuture<Void> waiting = aio.lock(f, 100, 100, true, true, process);
                boolean[] called = new boolean[1];
                AioRequest cbForm = aio.lock(f, 100, 100, false, true, process, r -> called[0] = true);
                awaitUntil("the lock request runs", () -> waiting.request().state() == AioRequest.State.EXECUTE);
                waiting.request().cancel();
                awaitUntil("the second runs on the freed worker", () -> cbForm.state() == AioRequest.State.EXECUTE);
                cbForm.cancel();
                assertThat(await(aio, aio.stat(f)).size()).as("the worker is free").isEqualTo(4096);
                assertThat(catchThrowable(waiting::join)).isInstanceOf(CancellationException.class);
                assertThat(called[0]).as("a cancelled request's callback is skipped").isFalse();
                holder.release();
            }
            assertThat(freeForAnotherProcess(p, backend, kind)).as("the cancelled lock was not taken").isTrue();
        }
    }

    // A deadline ends a waiting lock: ETIMEDOUT in the callback (isTimedOut), a TimeoutException from the future; the
    // lock is not taken.
    @ParameterizedTest
    @ValueSource(strings = {"native ofd", "nio process"})
    void aDeadlineEndsAWaitingLock(String setup) throws Exception {
        String backend = setup.split(" ")[0];
        boolean process = setup.endsWith("process");
        String kind = process ? "process" : "ofd";
        Path p = file();
        try (AioEngine aio = engine(backend, 1); AioFile f = await(aio, aio.open(p, O_RDWR, 0))) {
            try (Holder holder = hold(p, backend, kind)) {
                aio.timeout(Duration.ofMillis(200));
                AioFuture<Void> waiting = aio.lock(f, 100, 100, true, true, process);
                FsTesting.Recorder<Void> rec = new FsTesting.Recorder<>();
                aio.timeout(Duration.ofMillis(200));
                AioRequest cbForm = aio.lock(f, 150, 1, true, true, process, rec);
                aio.flush();
                assertThat(catchThrowable(waiting::join)).isInstanceOf(CompletionException.class)
                        .hasCauseInstanceOf(TimeoutException.class);
                assertThat(waiting.request().isTimedOut()).isTrue();
                assertThat(Errno.describe(rec.single().errno())).isEqualTo(Errno.describe(Errno.ETIMEDOUT.code()));
                assertThat(cbForm.isTimedOut()).isTrue();
                holder.release();
            }
            assertThat(freeForAnotherProcess(p, backend, kind)).as("the timed-out lock was not taken").isTrue();
        }
    }

    // Cancelling a group ends its waiting lock member like a cancel of the request itself.
    @Test
    void aGroupCancelEndsAWaitingLock() throws Exception {
        Path p = file();
        try (AioEngine aio = engine("native", 1); AioFile f = await(aio, aio.open(p, O_RDWR, 0))) {
            try (Holder holder = hold(p, "native", "ofd")) {
                AioRequest[] member = new AioRequest[1];
                var group = aio.group(r -> { });
                group.add(member[0] = aio.lock(f, 100, 100, true, true, r -> { }));
                awaitUntil("the lock request runs", () -> member[0].state() == AioRequest.State.EXECUTE);
                group.cancel();
                aio.flush();
                assertThat(member[0].isCancelled()).isTrue();
                assertThat(member[0].state()).isEqualTo(AioRequest.State.DONE);
                holder.release();
            }
            assertThat(freeForAnotherProcess(p, "native", "ofd")).as("the cancelled lock was not taken").isTrue();
        }
    }

    // A lock granted before its request was cancelled (the result waits for pollCb) is released by the engine: the
    // caller never hears of it, so it must not stay held. Checked from a second open file description of the file.
    @Test
    void aLockGrantedThenCancelledIsReleased() throws Exception {
        Path p = file();
        try (AioEngine aio = engine("native", 1); AioFile f = await(aio, aio.open(p, O_RDWR, 0));
                AioEngine checker = engine("native", 1); AioFile other = await(checker, checker.open(p, O_RDONLY, 0))) {
            boolean[] called = new boolean[1];
            AioRequest r = aio.lock(f, 0, 10, true, false, res -> called[0] = true);
            awaitUntil("the lock is granted", () -> r.state() == AioRequest.State.PENDING);
            assertThat(await(checker, checker.getlk(other, 0, 10, false, false)).type()).as("held now").isEqualTo(F_WRLCK);
            r.cancel();
            aio.flush();
            assertThat(called[0]).isFalse();
            assertThat(await(checker, checker.getlk(other, 0, 10, false, false)).type()).as("released").isEqualTo(F_UNLCK);
        }
    }

    // Open-file-description locks: two descriptions of one file in one process exclude each other (a process lock
    // would not), a shared lock admits another shared one, and closing the file releases its locks.
    @Test
    void ofdLocksExcludeOtherDescriptionsOfTheSameProcess() throws Exception {
        Path p = file();
        try (AioEngine aio = engine("native", 2); AioFile a = await(aio, aio.open(p, O_RDWR, 0));
                AioFile b = await(aio, aio.open(p, O_RDWR, 0))) {
            await(aio, aio.lock(a, 0, 10, true, false));
            assertFails(aio, Errno.EAGAIN, "lock", b, () -> aio.lock(b, 5, 1, false, false), cb -> aio.lock(b, 5, 1, false, false, cb));
            await(aio, aio.unlock(a, 0, 10, false));
            await(aio, aio.lock(a, 0, 10, false, false));
            await(aio, aio.lock(b, 0, 10, false, false));
            assertThat(await(aio, aio.getlk(b, 0, 10, true, false))).isEqualTo(new RecordLock(F_RDLCK, 0, 10, -1));
            await(aio, aio.close(a));
            assertThat(await(aio, aio.getlk(b, 0, 10, true, false)).isFree()).as("a's lock went with it").isTrue();
        }
    }

    // Bad arguments are refused at the call: negative start or length, an overflowing range, fcntl commands that
    // take a pointer or make a descriptor.
    @Test
    void badArgumentsAreRefusedAtTheCall() throws Exception {
        Path p = file();
        try (AioEngine aio = engine("nio", 1); AioFile f = await(aio, aio.open(p, O_RDWR, 0))) {
            assertThatThrownBy(() -> aio.lock(f, -1, 1, true, false)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("start");
            assertThatThrownBy(() -> aio.lock(f, 0, -1, true, false)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length");
            assertThatThrownBy(() -> aio.unlock(f, Long.MAX_VALUE, 2, false)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> aio.fcntl(f, F_DUPFD_CLOEXEC, 10)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> aio.fcntl(f, F_SETLK, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThat(aio.nreqs()).isZero();
        }
    }

    // The integer fcntl: F_GETFL reports the access mode natively; the portable backend says ENOSYS.
    @ParameterizedTest
    @ValueSource(strings = {"native", "nio"})
    void fcntlWithAnIntegerArgument(String backend) throws Exception {
        Path p = file();
        try (AioEngine aio = engine(backend, 1); AioFile f = await(aio, aio.open(p, O_RDWR, 0))) {
            if (backend.equals("nio")) {
                assertFails(aio, Errno.ENOSYS, "fcntl", f, () -> aio.fcntl(f, F_GETFL, 0), cb -> aio.fcntl(f, F_GETFL, 0, cb));
                return;
            }
            long fl = await(aio, aio.fcntl(f, F_GETFL, 0));
            assertThat(fl & O_ACCMODE).isEqualTo(O_RDWR);
        }
    }

    // close() ends a waiting lock too: it returns true (every request ended, every thread stopped) while another
    // process still holds the range, and the lock is not taken afterwards.
    @ParameterizedTest
    @ValueSource(strings = {"native", "nio"})
    void closeEndsAWaitingLock(String backend) throws Exception {
        Path p = file();
        try (AioEngine aio = engine(backend, 1); Holder holder = hold(p, backend, "process");
                AioFile f = await(aio, aio.open(p, O_RDWR, 0))) {
            AioFuture<Void> waiting = aio.lock(f, 100, 100, true, true, true);
            awaitUntil("the lock request runs", () -> waiting.request().state() == AioRequest.State.EXECUTE);
            assertThat(aio.close(Duration.ofSeconds(10))).as("close ended everything").isTrue();
            assertThat(waiting).isCompletedExceptionally();
            holder.release();
        }
        assertThat(freeForAnotherProcess(p, backend, "process")).as("the lock was not taken").isTrue();
    }

    // A lock request has the priority aioreq_pri gave it, and goes through the engine's syscall layer (a fault
    // injected into fcntlLock is its errno).
    @Test
    void aLockRequestHasItsPriorityAndUsesTheSyscallLayer() throws Exception {
        Path p = file();
        org.ioaio.faults.FaultInjectingSyscalls faults = new org.ioaio.faults.FaultInjectingSyscalls()
                .failAlways("fcntlLock", Errno.ENOLCK);
        try (AioEngine aio = org.ioaio.TestEngines.on(faults.wrap(new org.ioaio.internal.sys.NioSyscalls()), 1); AioFile f = await(aio, aio.open(p, O_RDWR, 0))) {
            aio.pri(3);
            FsTesting.Recorder<Void> rec = new FsTesting.Recorder<>();
            AioRequest r = aio.lock(f, 0, 1, true, true, rec);
            assertThat(r.priority()).isEqualTo(3);
            aio.flush();
            assertThat(Errno.describe(rec.single().errno())).isEqualTo(Errno.describe(Errno.ENOLCK.code()));
            assertThat(rec.single().failure()).isInstanceOf(org.ioaio.AioException.class).hasMessageContaining("lock");
        }
    }

    // A deadline bound by a view (withDeadline) ends a waiting lock as timeout() does: TimeoutException, isTimedOut.
    @Test
    void aViewsDeadlineEndsAWaitingLock() throws Exception {
        Path p = file();
        try (AioEngine aio = engine("nio", 1); AioFile f = await(aio, aio.open(p, O_RDWR, 0))) {
            try (Holder holder = hold(p, "nio", "process")) {
                AioFuture<Void> waiting = aio.withDeadline(Duration.ofMillis(200)).lock(f, 100, 100, true, true, true);
                aio.flush();
                assertThat(catchThrowable(waiting::join)).isInstanceOf(CompletionException.class)
                        .hasCauseInstanceOf(TimeoutException.class);
                assertThat(waiting.request().isTimedOut()).isTrue();
                holder.release();
            }
            assertThat(freeForAnotherProcess(p, "nio", "process")).as("the timed-out lock was not taken").isTrue();
        }
    }

    // A lock whose deadline passes while it waits (not while queued) is counted by timeouts() like a queued one, and its
    // future's TimeoutException says it waited, not that it was queued.
    @Test
    void aLockTimedOutWhileWaitingIsCountedAndSaysSo() throws Exception {
        Path p = file();
        try (AioEngine aio = engine("nio", 1); AioFile f = await(aio, aio.open(p, O_RDWR, 0))) {
            try (Holder holder = hold(p, "nio", "process")) {
                long before = aio.timeouts();
                AioFuture<Void> waiting = aio.withDeadline(Duration.ofMillis(200)).lock(f, 100, 100, true, true, true);
                aio.flush();
                Throwable t = catchThrowable(waiting::join);
                assertThat(t).hasCauseInstanceOf(TimeoutException.class);
                assertThat(t.getCause().getMessage()).contains("waited").doesNotContain("queued");
                assertThat(aio.timeouts() - before).isEqualTo(1);
                holder.release();
            }
        }
    }
}
