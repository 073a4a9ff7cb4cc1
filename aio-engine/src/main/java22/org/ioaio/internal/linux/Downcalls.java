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
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every downcall handle of this package is made here, so that the shapes the engine links (a
 * descriptor and its linker options) are known in one place: a GraalVM native image can only make
 * the handles whose shape is registered at build time, and the engine's
 * {@code META-INF/native-image/org.ioaio/aio-engine/reachability-metadata.json} lists them
 * ({@code foreign.downcalls}). {@link #shapes()} is what a test compares that file with.
 */
final class Downcalls {

    /** A descriptor and the linker options it is linked with, as the metadata lists one downcall. */
    record Shape(FunctionDescriptor descriptor, List<Linker.Option> options) {
    }

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Set<Shape> SHAPES = ConcurrentHashMap.newKeySet();

    private Downcalls() {
    }

    /** A handle for libc's {@code name} (the linker's default lookup); UnsatisfiedLinkError if it is missing. */
    static MethodHandle libc(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError(name + " not found in libc"));
        return link(symbol, descriptor, options);
    }

    /** A handle for the function at {@code symbol}. */
    @SuppressWarnings("restricted")
    static MethodHandle link(MemorySegment symbol, FunctionDescriptor descriptor, Linker.Option... options) {
        note(descriptor, options);
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    /**
     * Records a shape the engine links only on a libc that has a wrapper this one lacks (here the
     * call goes through {@code syscall(2)} instead): an image run on that libc must still link it.
     */
    static void note(FunctionDescriptor descriptor, Linker.Option... options) {
        SHAPES.add(new Shape(descriptor, List.of(options)));
    }

    /** The shapes linked (or noted) so far, by the classes of this package initialised so far. */
    static Set<Shape> shapes() {
        return Set.copyOf(SHAPES);
    }
}
