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

package org.ioaio.internal.linux;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Proves that the FFM API works on this JVM by calling libc's {@code getpid()}
 * through a downcall handle.
 *
 * <p>Java 22+ only: this class is compiled with {@code --release 22} and is never
 * referenced at compile time by Java 17 code. {@code org.ioaio.internal.Platform}
 * loads it by name, and only when {@code Runtime.version().feature() >= 22}.
 */
public final class NativeProbe22 {

    /** Downcall handle for {@code pid_t getpid(void)}; built when the class initialises. */
    private static final MethodHandle GETPID = downcall();

    private NativeProbe22() {
    }

    /** Returns this process's id as libc's {@code getpid()} reports it. */
    public static long getpid() {
        try {
            return (int) GETPID.invokeExact();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("getpid() downcall failed", t);
        }
    }

    /** Looks up {@code getpid} in the native linker's default lookup (libc) and links it. */
    private static MethodHandle downcall() {
        return Downcalls.libc("getpid", FunctionDescriptor.of(ValueLayout.JAVA_INT));
    }
}
