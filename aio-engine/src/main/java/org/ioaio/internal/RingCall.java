package org.ioaio.internal;

import org.ioaio.IoUringOp;

/**
 * A call that a {@link RingBackend} may execute instead of a worker: the engine routes a request
 * with such a call to the ring when its {@link #ringOp()} is among the operations it sends there
 * and the ring {@linkplain RingBackend#accepts accepts} it. Workers run it through the {@code
 * Syscalls} layer as any other call.
 */
public interface RingCall {

    /**
     * The io_uring operation this call becomes.
     *
     * @return the operation
     */
    IoUringOp ringOp();

    /**
     * Whether the call names paths: such calls go to the ring only from the engine itself, never
     * from a working-directory or jail view (whose paths resolve in Java or with {@code openat2}).
     *
     * @return {@code true} for path calls
     */
    default boolean hasPaths() {
        return false;
    }
}
