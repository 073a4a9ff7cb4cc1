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

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.stream.Stream;
import org.ioaio.internal.Platform;

/**
 * A syscall layer the conformance tests run against: the portable one, the native one, made
 * through the same reflective factory as in production ({@link Platform#nativeLayer()}), or the
 * native one with its I/O, sync and stat calls submitted to an io_uring (not an engine backend yet;
 * made by name the same way). So these tests compile at Java 17 and, there, skip the native runs
 * with the printed reason.
 *
 * @param name {@code "nio"}, {@code "native"} or {@code "uring"}
 * @param syscalls the layer, or {@code null} when unavailable
 * @param reason why it is unavailable, or {@code "available"}
 */
record Layer(String name, Syscalls syscalls, String reason) {

    /** Every layer, for {@code @MethodSource}: the portable one and the native ones (maybe unavailable). */
    static Stream<Layer> all() {
        return Stream.of(nio(), nativeLayer(), uring());
    }

    /** The portable layer. */
    static Layer nio() {
        return new Layer("nio", new NioSyscalls(), "available");
    }

    /** The native layer, or a placeholder that skips tests with the reason it is unavailable. */
    static Layer nativeLayer() {
        Platform.NativeLayer l = Platform.nativeLayer();
        return new Layer("native", l.syscalls(), l.reason());
    }

    /** The io_uring layer (one ring for the whole test run), or a placeholder that skips with the reason. */
    static Layer uring() {
        return Uring.LAYER;
    }

    /** Whether this is a native layer (plain or io_uring). */
    boolean isNative() {
        return !name.equals("nio");
    }

    /** Makes the io_uring layer once, by name, where the native layer is available. */
    private static final class Uring {
        static final Layer LAYER = make();

        private static Layer make() {
            Platform.NativeLayer n = Platform.nativeLayer();
            if (!n.available()) {
                return new Layer("uring", null, n.reason());
            }
            try {
                Syscalls s = (Syscalls) Class.forName("org.ioaio.internal.linux.UringSyscalls").getMethod("create").invoke(null);
                return new Layer("uring", s, "available");
            } catch (ReflectiveOperationException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                return new Layer("uring", null, "io_uring unavailable: " + cause);
            }
        }
    }

    /**
     * The layer, or skips the calling test, printing why ("native backend not available: Java 17 < 22").
     *
     * @return the syscall layer
     */
    Syscalls require() {
        if (syscalls == null) {
            String why = reason.startsWith("io_uring") ? reason : "native backend not available: " + reason;
            System.out.println("SKIPPED (" + name + " layer): " + why);
            assumeTrue(false, why);
        }
        return syscalls;
    }

    /** The name, for test display names. */
    @Override
    public String toString() {
        return name;
    }
}
