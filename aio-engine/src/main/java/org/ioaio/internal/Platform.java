package org.ioaio.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Facts about the running JVM and OS, and the only gate to the Java 22+ code.
 *
 * <p>Classes under {@code src/main/java22} are compiled with {@code --release 22}
 * (class file version 66) into the same jar as this Java 17 code. Nothing compiled
 * for 17 may name them: they are loaded here by name, with {@link Class#forName} and
 * a {@link MethodHandle}, and only when {@link #javaFeature()} is at least
 * {@value #NATIVE_MIN_FEATURE}. On Java 17 to 21 they are never loaded, so the jar
 * runs there without an {@code UnsupportedClassVersionError}.
 */
public final class Platform {

    /** First Java feature release whose FFM API ({@code java.lang.foreign}) is final. */
    public static final int NATIVE_MIN_FEATURE = 22;

    /** Binary name of the Java 22+ probe; a string so that Java 17 code never links to it. */
    static final String PROBE_CLASS = "org.ioaio.internal.linux.NativeProbe22";

    /** Name of the probe's {@code public static long ()} method. */
    static final String PROBE_METHOD = "getpid";

    private Platform() {
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
