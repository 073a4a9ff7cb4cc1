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

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import org.ioaio.AioBackend;
import org.ioaio.Errno;
import org.ioaio.internal.sched.UringBackend;
import org.ioaio.internal.sys.NioSyscalls;
import org.ioaio.internal.sys.Syscalls;

/**
 * Facts about the running JVM and OS, and the only gate to the Java 22+ code.
 *
 * <p>Classes under {@code src/main/java22} are compiled with {@code --release 22}
 * (class file version 66) into the same jar as this Java 17 code. Nothing compiled
 * for 17 may name them: they are loaded here by name, with {@link Class#forName} and
 * a {@link MethodHandle}, and only when {@link #javaFeature()} is at least
 * {@value #NATIVE_MIN_FEATURE}. On Java 17 to 21 they are never loaded, so the jar
 * runs there without an {@code UnsupportedClassVersionError}.
 *
 * <p><b>Backend selection</b> happens here too, in {@link #select(AioBackend)}: {@code AUTO} takes
 * the native layer when the JVM is 22+, the OS is Linux and the layer initialised (every libc
 * symbol linked), else the portable one; {@code NIO} always takes the portable layer; {@code NATIVE}
 * takes the native layer or fails with the reason it is unavailable.
 */
public final class Platform {

    /** First Java feature release whose FFM API ({@code java.lang.foreign}) is final. */
    public static final int NATIVE_MIN_FEATURE = 22;

    /** Binary name of the Java 22+ probe; a string so that Java 17 code never links to it. */
    static final String PROBE_CLASS = "org.ioaio.internal.linux.NativeProbe22";

    /** Name of the probe's {@code public static long ()} method. */
    static final String PROBE_METHOD = "getpid";

    /** Binary name of the native syscall layer (Java 22+); a string for the same reason. */
    static final String NATIVE_SYSCALLS_CLASS = "org.ioaio.internal.linux.LinuxSyscalls";

    /** Name of its {@code public static Syscalls ()} factory method. */
    static final String NATIVE_SYSCALLS_METHOD = "create";

    /** Name of the native layer's {@code public static int ()} that puts the calling thread under {@code SCHED_BATCH}. */
    static final String NATIVE_BATCH_METHOD = "batchCurrentThread";

    private Platform() {
    }

    /**
     * Puts the calling thread under Linux's {@code SCHED_BATCH} policy: the kernel treats it as
     * CPU-bound and never lets its wake-up preempt a running thread (a poller, an event loop); its
     * share of the processor is unchanged. Needs the native layer (Java 22+ on Linux).
     *
     * @return 0, or the errno of {@code sched_setscheduler} ({@code EPERM} under a seccomp filter
     *     that forbids it), {@code ENOSYS} without the native layer
     */
    public static int batchCurrentThread() {
        MethodHandle batch = BatchHolder.BATCH;
        if (batch == null) {
            return Errno.ENOSYS.code();
        }
        try {
            return (int) batch.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("sched_setscheduler failed: " + describe(t), t);
        }
    }

    /** Returns the running JVM's feature release, e.g. 17 or 25. */
    public static int javaFeature() {
        return Runtime.version().feature();
    }

    /** Returns whether the operating system is Linux (from {@code os.name}). */
    public static boolean isLinux() {
        return isLinux(osName());
    }

    /** Returns the outcome of the native probe, computed once per class loader. */
    public static NativeProbe nativeProbe() {
        return ProbeHolder.RESULT;
    }

    /** Runs the probe against the given facts; package-private so tests can try every branch. */
    static NativeProbe probe(int feature, String osName, String probeClass) {
        if (feature < NATIVE_MIN_FEATURE) {
            return NativeProbe.unavailable("Java " + feature + " < " + NATIVE_MIN_FEATURE);
        }
        if (!isLinux(osName)) {
            return NativeProbe.unavailable("not Linux (os.name=" + osName + ")");
        }
        try {
            Class<?> type = Class.forName(probeClass, true, Platform.class.getClassLoader());
            MethodHandle getpid = MethodHandles.publicLookup()
                    .findStatic(type, PROBE_METHOD, MethodType.methodType(long.class));
            return NativeProbe.available((long) getpid.invokeExact());
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            return NativeProbe.unavailable("probe failed: " + describe(t));
        }
    }

    /**
     * Returns the native syscall layer, or why it is unavailable; tried once per class loader, and
     * only after the probe succeeded (so never on Java 17 to 21).
     */
    public static NativeLayer nativeLayer() {
        return LayerHolder.RESULT;
    }

    /** Loads the native layer by name if the probe allows it; package-private so tests can try every branch. */
    static NativeLayer loadNativeLayer(NativeProbe probe, String layerClass) {
        if (!probe.available()) {
            return NativeLayer.unavailable(probe.reason());
        }
        try {
            Class<?> type = Class.forName(layerClass, true, Platform.class.getClassLoader());
            MethodHandle create = MethodHandles.publicLookup()
                    .findStatic(type, NATIVE_SYSCALLS_METHOD, MethodType.methodType(Syscalls.class));
            return NativeLayer.available((Syscalls) create.invokeExact());
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            return NativeLayer.unavailable("native layer failed to initialise: " + describe(t));
        }
    }

    /**
     * Chooses the syscall layer for an engine built with {@code wanted}.
     *
     * @param wanted the backend asked for
     * @return the backend chosen (never {@code AUTO}) and its syscall layer
     * @throws IllegalStateException for {@code NATIVE} where the native layer is unavailable, with
     *     the reason ("native backend not available: Java 17 < 22")
     */
    public static Selection select(AioBackend wanted) {
        return select(wanted, wanted == AioBackend.NIO ? null : nativeLayer());
    }

    /** {@link #select(AioBackend)} against a given native layer; package-private for tests. */
    static Selection select(AioBackend wanted, NativeLayer layer) {
        switch (wanted) {
            case NIO:
                return new Selection(AioBackend.NIO, new NioSyscalls());
            case NATIVE:
                if (!layer.available()) {
                    throw new IllegalStateException("native backend not available: " + layer.reason()
                            + "; use AioBackend.AUTO or NIO");
                }
                return new Selection(AioBackend.NATIVE, layer.syscalls());
            case AUTO:
            default:
                return layer.available()
                        ? new Selection(AioBackend.NATIVE, layer.syscalls())
                        : new Selection(AioBackend.NIO, new NioSyscalls());
        }
    }

    /** The io_uring lane's class, in the Java 22 part of the jar. */
    static final String RING_CLASS = "org.ioaio.internal.linux.UringLane";

    /**
     * Sets up an io_uring for the scheduler's ring lane; call only where the native layer is
     * available.
     *
     * @param depth how many operations it keeps in flight
     * @return the ring
     * @throws IllegalStateException with the reason where it cannot be set up ({@code
     *     io_uring_setup} failed with EPERM when disabled by {@code kernel.io_uring_disabled}, ENOSYS...)
     */
    public static UringBackend openRing(int depth) {
        if (!nativeLayer().available()) {
            throw new IllegalStateException(nativeLayer().reason());
        }
        try {
            Class<?> type = Class.forName(RING_CLASS, true, Platform.class.getClassLoader());
            MethodHandle create = MethodHandles.publicLookup()
                    .findStatic(type, "create", MethodType.methodType(UringBackend.class, int.class));
            return (UringBackend) create.invokeExact(depth);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("io_uring setup failed: " + describe(t), t);
        }
    }

    /** Returns whether {@code osName} names Linux. */
    private static boolean isLinux(String osName) {
        return osName.toLowerCase(Locale.ROOT).startsWith("linux");
    }

    /** Returns {@code os.name}, or an empty string when it is unset. */
    private static String osName() {
        return System.getProperty("os.name", "");
    }

    /** Describes a failure by its root cause's class and message. */
    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getName() + (message == null ? "" : ": " + message);
    }

    /** Lazily loads the native layer once, on first use of {@link #nativeLayer()}. */
    private static final class LayerHolder {

        /** The native layer of this JVM, or why there is none. */
        static final NativeLayer RESULT = loadNativeLayer(nativeProbe(), NATIVE_SYSCALLS_CLASS);
    }

    /**
     * Lazily looks up the native layer's {@code SCHED_BATCH} call once; {@code null} without the
     * native layer or without the method (then {@link #batchCurrentThread()} says ENOSYS, which the
     * engine reports, rather than failing a worker's start).
     */
    private static final class BatchHolder {

        static final MethodHandle BATCH = lookUpBatch();

        private static MethodHandle lookUpBatch() {
            if (!nativeLayer().available()) {
                return null;
            }
            try {
                Class<?> type = Class.forName(NATIVE_SYSCALLS_CLASS, true, Platform.class.getClassLoader());
                return MethodHandles.publicLookup().findStatic(type, NATIVE_BATCH_METHOD, MethodType.methodType(int.class));
            } catch (ReflectiveOperationException e) {
                return null;
            }
        }
    }

    /**
     * The backend an engine uses and its syscall layer.
     *
     * @param backend {@code NIO} or {@code NATIVE}
     * @param syscalls the layer requests run on
     */
    public record Selection(AioBackend backend, Syscalls syscalls) {

        /** Rejects null components. */
        public Selection {
            Objects.requireNonNull(backend, "backend");
            Objects.requireNonNull(syscalls, "syscalls");
        }
    }

    /**
     * The native syscall layer, or why it is unavailable.
     *
     * @param syscalls the layer (shared: it is stateless and thread-safe), or {@code null}
     * @param reason {@code "available"}, or why the layer is unavailable
     */
    public record NativeLayer(Syscalls syscalls, String reason) {

        /** Rejects a null reason. */
        public NativeLayer {
            Objects.requireNonNull(reason, "reason");
        }

        /** Returns whether the native layer can be used. */
        public boolean available() {
            return syscalls != null;
        }

        /** Returns an available layer. */
        static NativeLayer available(Syscalls syscalls) {
            return new NativeLayer(Objects.requireNonNull(syscalls, "syscalls"), "available");
        }

        /** Returns the reason there is no native layer. */
        static NativeLayer unavailable(String reason) {
            return new NativeLayer(null, reason);
        }
    }

    /** Lazily computes the probe once, on first use of {@link #nativeProbe()}. */
    private static final class ProbeHolder {

        /** The probe's outcome for this JVM. */
        static final NativeProbe RESULT = probe(javaFeature(), osName(), PROBE_CLASS);
    }

    /**
     * Outcome of the native probe: the pid that libc's {@code getpid()} returned
     * through FFM, or why native code is unavailable.
     *
     * @param pid the pid from the FFM downcall, empty when native code is unavailable
     * @param reason {@code "available"}, or why native code is unavailable
     */
    public record NativeProbe(OptionalLong pid, String reason) {

        /** Rejects null components. */
        public NativeProbe {
            Objects.requireNonNull(pid, "pid");
            Objects.requireNonNull(reason, "reason");
        }

        /** Returns whether the FFM downcall worked. */
        public boolean available() {
            return pid.isPresent();
        }

        /** Returns a successful probe that saw {@code pid}. */
        static NativeProbe available(long pid) {
            return new NativeProbe(OptionalLong.of(pid), "available");
        }

        /** Returns a failed probe with the reason native code is unavailable. */
        static NativeProbe unavailable(String reason) {
            return new NativeProbe(OptionalLong.empty(), reason);
        }
    }
}
