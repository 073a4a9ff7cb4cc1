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

package org.ioaio.internal.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.ioaio.Errno;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The jail layers resolve every path call themselves, in both forms: none inherits a forwarder that
 * would pass a path to the layer they wrap unresolved (a way out of the jail).
 */
class JailLayersTest {

    @TempDir
    Path tmp;

    private Path jail;
    private Path outside;

    @BeforeEach
    void jailAndOutside() throws Exception {
        jail = Files.createDirectory(tmp.resolve("jail"));
        outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("f"), "secret");
    }

    /** Every call of the interface that takes a path (either form), not relative to a held directory. */
    private static List<Method> pathCalls() {
        List<Method> calls = new ArrayList<>();
        for (Method m : Syscalls.class.getMethods()) {
            List<Class<?>> types = Arrays.asList(m.getParameterTypes());
            if ((types.contains(Path.class) || types.contains(Pathname.class)) && !types.contains(TreeDir.class)) {
                calls.add(m);
            }
        }
        return calls;
    }

    // Every path call of the Java layers under a working directory is written by them (or is the interface's form
    // over their own calls): not one is ForwardingSyscalls', which would hand the path to the wrapped layer.
    @Test
    void theJavaLayersWriteEveryPathCall() throws Exception {
        assertThat(pathCalls()).hasSizeGreaterThan(40);
        for (Class<?> layer : List.of(WalkedJailSyscalls.class, RelativeSyscalls.class)) {
            for (Method m : pathCalls()) {
                Class<?> declaring = layer.getMethod(m.getName(), m.getParameterTypes()).getDeclaringClass();
                assertThat(declaring).as("%s.%s", layer.getSimpleName(), m).isNotEqualTo(ForwardingSyscalls.class);
            }
        }
    }

    /** The layers a jail can be resolved by: the walk over the portable and the native layer, and the kernel's. */
    static Stream<String> jails() {
        return Stream.of("walked over nio", "walked over native", "kernel");
    }

    // Each path call of a jail, in both forms, with an absolute path out of it and with ".." out of it, fails with
    // EXDEV; the layer under the jail never receives a path outside it, and nothing outside changes.
    @ParameterizedTest
    @MethodSource("jails")
    void everyPathCallOfAJailStaysInside(String kind) throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        try (DirectoryHandle wd = DirectoryHandle.open(jail, true)) {
            Syscalls calls = jailCalls(kind, wd, seen);
            for (String escape : List.of(outside.resolve("f").toString(), "../outside/f", "../outside/new")) {
                for (Method m : pathCalls()) {
                    Throwable thrown = catchThrowable(() -> invoke(calls, m, escape));
                    assertThat(thrown).as("%s %s(%s)", kind, m, escape).isInstanceOf(SyscallException.class);
                    assertThat(((SyscallException) thrown).errno()).as("%s %s(%s)", kind, m, escape).isEqualTo(Errno.EXDEV.code());
                }
            }
        }
        assertThat(seen).allSatisfy(p -> assertThat(p).doesNotContain("outside"));
        assertThat(Files.readString(outside.resolve("f"))).isEqualTo("secret");
        try (Stream<Path> left = Files.list(outside)) {
            assertThat(left).containsExactly(outside.resolve("f"));
        }
    }

    /** The jail's calls of {@code kind} over {@code wd}; a walk's wrapped layer records the paths it is given. */
    private static Syscalls jailCalls(String kind, DirectoryHandle wd, List<String> seen) throws SyscallException {
        if (kind.equals("kernel")) {
            Syscalls base = Layer.nativeLayer().require();
            try {
                return base.beneath(wd);
            } catch (SyscallException e) {
                Layer missing = new Layer("kernel jail", null, "openat2 unavailable: " + Errno.describe(e.errno()));
                return missing.require();
            }
        }
        Syscalls base = kind.endsWith("nio") ? new NioSyscalls() : Layer.nativeLayer().require();
        Syscalls recording = (Syscalls) Proxy.newProxyInstance(JailLayersTest.class.getClassLoader(),
                new Class<?>[] {Syscalls.class}, (proxy, m, args) -> {
                    for (Object a : args == null ? new Object[0] : args) {
                        if (a instanceof Path || a instanceof Pathname) {
                            seen.add(a.toString());
                        }
                    }
                    try {
                        return m.invoke(base, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return new WalkedJailSyscalls(recording, wd);
    }

    /** Calls {@code m} with {@code path} for every path argument and neutral values for the others. */
    private static void invoke(Syscalls calls, Method m, String path) throws Throwable {
        Class<?>[] types = m.getParameterTypes();
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            Class<?> t = types[i];
            args[i] = t == Path.class ? Path.of(path)
                    : t == Pathname.class ? Pathname.of(path)
                    : t == int.class ? 0
                    : t == long.class ? 0L
                    : t == boolean.class ? false
                    : t == Instant.class ? Instant.EPOCH
                    : null;
        }
        try {
            m.invoke(calls, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
