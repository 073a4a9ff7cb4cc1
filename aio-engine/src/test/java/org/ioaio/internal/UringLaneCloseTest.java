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

package org.ioaio.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.ioaio.AioConstants;
import org.ioaio.EngineInvariants;
import org.ioaio.Errno;
import org.ioaio.internal.sched.Op;
import org.ioaio.internal.sched.Scheduler;
import org.ioaio.internal.sched.UringBackend;
import org.ioaio.internal.sys.FileHandle;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ioaio.internal.op.CloseCall;
import org.ioaio.internal.op.SysRequest;

/**
 * The io_uring lane's close when the kernel never takes its entry (a submission refused for good):
 * the lane has already marked the handle closed, so it closes the descriptor itself and hands the
 * outcome to the workers' {@code close}, which the scheduler then runs for the request: it reports
 * that outcome once, and a later close is EBADF, as after any close. Driven by hand through {@link
 * UringBackend}, without a scheduler's ring thread; skipped, with the reason, where the native
 * backend or io_uring is unavailable.
 */
@ExtendWith(EngineInvariants.class)
class UringLaneCloseTest {

    @TempDir
    Path dir;

    @Test
    void aCloseTheKernelNeverTookIsReportedByTheWorkersClose() throws Exception {
        Platform.NativeLayer layer = Platform.nativeLayer();
        if (!layer.available()) {
            skip("native backend not available: " + layer.reason());
        }
        UringBackend ring = null;
        try {
            ring = Platform.openRing(4);
        } catch (IllegalStateException e) {
            skip("io_uring unavailable: " + e.getMessage());
        }
        Syscalls sys = layer.syscalls();
        FileHandle h = sys.open(Files.write(dir.resolve("f"), new byte[1]), AioConstants.O_RDONLY, 0);
        Scheduler scheduler = new Scheduler("aio-test", 0, 0, TimeUnit.SECONDS.toNanos(10), 0, 0, 0, null, false);
        SysRequest close = new SysRequest(scheduler, 0, null, Op.CLOSE, h, sys, new CloseCall(h));
        SysRequest.StatusCall onWorker = (SysRequest.StatusCall) close.call();
        try {
            assertThat(ring.accepts(close.call())).isTrue();
            assertThat(ring.prepare(close, 0)).as("encoded").isZero();
            assertThat(h.isOpen()).as("closed for every other call from the moment it is encoded").isFalse();
            int[] slots = new int[4];
            assertThat(ring.unsubmitted(slots)).as("entries withdrawn").isEqualTo(1);
            assertThat(slots[0]).isZero();
            ring.abandon(close, 0);
            assertThat(onWorker.run(sys)).as("the workers' close of the handed-back request").isZero();
            assertThatThrownBy(() -> onWorker.run(sys)).isInstanceOfSatisfying(SyscallException.class,
                    e -> assertThat(e.errno()).isEqualTo(Errno.EBADF.code()));
        } finally {
            ring.close(); // EngineInvariants: the file's descriptor and the ring's are all closed
        }
    }

    private static void skip(String why) {
        System.out.println("SKIPPED: " + why);
        assumeTrue(false, why);
    }
}
