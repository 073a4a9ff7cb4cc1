package org.ioaio;

import org.ioaio.internal.sys.Syscalls;

/** Lets tests outside {@code org.ioaio} build an engine on a chosen syscall layer (a fault injector, a recorder). */
public final class TestEngines {

    private TestEngines() {}

    /**
     * An engine with {@code threads} workers whose requests run on {@code sys}.
     *
     * @param sys the syscall layer
     * @param threads worker threads
     * @return the engine
     */
    public static AioEngine on(Syscalls sys, int threads) {
        return AioEngine.builder().minParallel(threads).syscalls(sys).build();
    }

    /**
     * A builder whose engine's requests run on {@code sys}, for settings {@link #on} does not make.
     *
     * @param sys the syscall layer
     * @return the builder
     */
    public static AioEngine.Builder builderOn(Syscalls sys) {
        return AioEngine.builder().syscalls(sys);
    }
}
