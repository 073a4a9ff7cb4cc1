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

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;

/**
 * What a native image (Spring AOT, GraalVM) needs of aio beyond what Spring infers, registered by
 * {@link AioAutoConfiguration} with {@code @ImportRuntimeHints}:
 *
 * <ul>
 *   <li>binding of the {@code aio.*} properties ({@link AioProperties} and its nested groups);
 *   <li>the engine's classes that it loads by name and calls through a method handle (so that a
 *       Java 17 class path may hold them): the native backend's probe ({@value #PROBE_CLASS}{@code
 *       .getpid}), its syscall layer ({@value #NATIVE_SYSCALLS_CLASS}{@code .create}), the io_uring
 *       lane ({@value #RING_CLASS}{@code .create(int)}), and {@code com.sun.nio.file.ExtendedOpenOption}
 *       (O_DIRECT on the portable backend);
 *   <li>SLF4J's {@code MDC}, looked up by name for context propagation.
 * </ul>
 *
 * <p>The FFM downcalls of the native backend themselves cannot be expressed as Spring runtime
 * hints: GraalVM needs its foreign-function support and the downcall descriptors in its own
 * reachability metadata. Without them the native backend's probe fails in the image and {@code
 * aio.backend=auto} runs on the portable (nio) backend, which needs nothing more.
 */
public class AioRuntimeHints implements RuntimeHintsRegistrar {

    /** The engine's probe of the native backend (a Java 22 class, loaded by name). */
    static final String PROBE_CLASS = "org.ioaio.internal.linux.NativeProbe22";

    /** The engine's native syscall layer (a Java 22 class, loaded by name). */
    static final String NATIVE_SYSCALLS_CLASS = "org.ioaio.internal.linux.LinuxSyscalls";

    /** The engine's io_uring lane (a Java 22 class, loaded by name). */
    static final String RING_CLASS = "org.ioaio.internal.linux.UringLane";

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        BindableRuntimeHintsRegistrar.forTypes(AioProperties.class).registerHints(hints, classLoader);
        hints.reflection().registerType(TypeReference.of(PROBE_CLASS), type -> type
                .withMethod("getpid", List.of(), ExecutableMode.INVOKE));
        hints.reflection().registerType(TypeReference.of(NATIVE_SYSCALLS_CLASS), type -> type
                .withMethod("create", List.of(), ExecutableMode.INVOKE));
        hints.reflection().registerType(TypeReference.of(RING_CLASS), type -> type
                .withMethod("create", List.of(TypeReference.of(int.class)), ExecutableMode.INVOKE));
        hints.reflection().registerType(TypeReference.of("com.sun.nio.file.ExtendedOpenOption"),
                MemberCategory.INVOKE_PUBLIC_METHODS, MemberCategory.ACCESS_PUBLIC_FIELDS);
        hints.reflection().registerType(TypeReference.of("org.slf4j.MDC"));
    }
}
