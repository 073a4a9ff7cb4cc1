package org.ioaio.internal.sys;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.stream.Stream;
import org.ioaio.internal.Platform;

/**
 * A syscall layer the conformance tests run against: the portable one, or the native one, made
 * through the same reflective factory as in production ({@link Platform#nativeLayer()}), so these
 * tests compile at Java 17 and, there, skip the native runs with the printed reason.
 *
 * @param name {@code "nio"} or {@code "native"}
 * @param syscalls the layer, or {@code null} when unavailable
 * @param reason why it is unavailable, or {@code "available"}
 */
record Layer(String name, Syscalls syscalls, String reason) {

    /** Both layers, for {@code @MethodSource}: the portable one and the native one (maybe unavailable). */
    static Stream<Layer> all() {
        return Stream.of(nio(), nativeLayer());
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

    /** Whether this is the native layer. */
    boolean isNative() {
        return name.equals("native");
    }

    /**
     * The layer, or skips the calling test, printing why ("native backend not available: Java 17 < 22").
     *
     * @return the syscall layer
     */
    Syscalls require() {
        if (syscalls == null) {
            String why = "native backend not available: " + reason;
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
