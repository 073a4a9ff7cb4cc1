package org.ioaio;

/** Which syscall layer executes the requests ({@link AioEngine.Builder#backend(AioBackend)}). */
public enum AioBackend {
    /** The native layer where it is available (Linux, Java 22+), otherwise the portable one. */
    AUTO,
    /** The portable layer: {@code java.nio.file} and {@code FileChannel}; runs everywhere on Java 17+. */
    NIO,
    /** The native Linux layer (FFM syscalls, io_uring); building an engine fails where it is not available. */
    NATIVE
}
