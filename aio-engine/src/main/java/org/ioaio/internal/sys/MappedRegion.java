package org.ioaio.internal.sys;

import java.nio.ByteBuffer;

/** A memory mapping a {@link Syscalls} layer made ({@link Syscalls#mmap}): its bytes, and its unmapping. */
public interface MappedRegion extends AutoCloseable {

    /**
     * The mapped bytes.
     *
     * @return a direct buffer over the whole mapping (read-only without {@code PROT_WRITE})
     */
    ByteBuffer buffer();

    /**
     * Whether it is still mapped.
     *
     * @return {@code true} until {@link #close()}
     */
    boolean isOpen();

    /**
     * Unmaps it ({@code munmap}); idempotent.
     *
     * @throws SyscallException EBUSY while a call still uses the memory
     */
    @Override
    void close() throws SyscallException;
}
