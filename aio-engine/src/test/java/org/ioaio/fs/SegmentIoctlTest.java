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
import static org.ioaio.AioConstants.O_RDONLY;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ioaio.AioBackend;
import org.ioaio.AioEngine;
import org.ioaio.AioFile;
import org.ioaio.EngineInvariants;
import org.ioaio.internal.Platform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code SegmentIoctl} (Java 22+): the raw {@code ioctl} over a caller's {@code MemorySegment}, driven
 * through {@code SegmentIoctlCalls} (compiled at 22) by name, since this test compiles at 17.
 */
@ExtendWith(EngineInvariants.class)
class SegmentIoctlTest {

    @TempDir
    Path dir;

    private static Object call(String method, AioEngine aio, AioFile f) throws Throwable {
        Method m = Class.forName("org.ioaio.fs.SegmentIoctlCalls").getMethod(method, AioEngine.class, AioFile.class);
        try {
            return m.invoke(null, aio, f);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    // The kernel fills a shared or automatic arena's segment: FS_IOC_GETFLAGS gives the typed getFlags' flags, FIONREAD
    // a regular file's bytes from the position to the end; a confined, heap or too small segment is refused at the call.
    @Test
    void ioctlOverASegment() throws Throwable {
        assumeTrue(Runtime.version().feature() >= 22, "MemorySegment needs Java 22+; this JVM is " + Runtime.version());
        assumeTrue(Platform.nativeLayer().available(), "native layer not available: " + Platform.nativeLayer().reason());
        Path p = Files.write(dir.resolve("f"), new byte[5000]);
        try (AioEngine aio = AioEngine.builder().minParallel(2).backend(AioBackend.NATIVE).build()) {
            var opened = aio.open(p, O_RDONLY, 0);
            aio.flush();
            AioFile f = opened.join();
            try {
                long[] flags = (long[]) call("getFlags", aio, f);
                assertThat(flags[0]).isZero();
                var typed = aio.getFlags(f);
                aio.flush();
                assertThat(flags[1]).isEqualTo((long) typed.join());
                long[] ready = (long[]) call("fionread", aio, f);
                assertThat(ready[0]).isZero();
                assertThat(ready[1]).isEqualTo(5000);
                for (String bad : new String[] {"confined", "heap", "tooSmall"}) {
                    Throwable t = null;
                    try {
                        call(bad, aio, f);
                    } catch (IllegalArgumentException e) {
                        t = e;
                    }
                    assertThat(t).as(bad).isInstanceOf(IllegalArgumentException.class);
                }
            } finally {
                aio.flush();
                f.close();
            }
        }
    }
}
