package org.ioaio;

/**
 * A POSIX record lock as {@code struct flock} describes it: what {@link AioEngine#getlk} reports
 * (the lock that would conflict, or one of type {@link AioConstants#F_UNLCK} when none would).
 *
 * @param type {@link AioConstants#F_RDLCK}, {@link AioConstants#F_WRLCK} or {@link AioConstants#F_UNLCK}
 * @param start the first byte of the range
 * @param length the range's length; 0 means "to the end of the file, however far it grows"
 * @param pid the process holding it; -1 for an open-file-description lock (the kernel does not
 *     say whose), 0 when there is no conflict
 */
public record RecordLock(int type, long start, long length, int pid) {

    /** Whether the range is free (no conflicting lock). */
    public boolean isFree() {
        return type == AioConstants.F_UNLCK;
    }
}
