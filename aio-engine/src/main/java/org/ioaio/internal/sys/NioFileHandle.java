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

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.ioaio.Errno;

/**
 * A file {@link NioSyscalls} opened: one {@link FileChannel}, or two for {@code O_RDWR|O_APPEND},
 * which the JDK cannot open as one channel (it refuses READ with APPEND): {@link #channel} reads,
 * keeps the position and syncs, {@link #appender} writes at the end.
 *
 * <p>The channel's position is the descriptor's offset (the JDK reads and writes with
 * {@code read(2)}/{@code write(2)}), which is what makes position-less reads and writes work as in C.
 */
final class NioFileHandle extends FileHandle {

    /** Reads, positional I/O, seeks, size, sync: the channel every call uses. */
    final FileChannel channel;
    /** The WRITE|APPEND channel of an {@code O_RDWR|O_APPEND} file, otherwise {@code null}. */
    final FileChannel appender;
    /** Opened with read access. */
    final boolean readable;
    /** Opened with write access. */
    final boolean writable;
    /** Opened with {@code O_APPEND} and write access: every write goes to the end. */
    final boolean append;
    /** {@code st_dev} of the opened file, checked by the path-based f*-calls where there is no anchor; -1 if unknown. */
    final long dev;
    /** {@code st_ino} of the opened file; -1 if unknown. */
    final long ino;

    /**
     * Whether {@code fchmod}, {@code fchown} and {@code futimens} go by the path, checked just
     * before to name the opened file, rather than through the descriptor ({@link #anchored}):
     * set for the files a tree operation opens outside a jail, where finding each one's
     * descriptor (a read of {@code /proc/self/fdinfo} per file) would cost a tree copy several
     * times its time. A directory on the path swapped for a symlink between the check and the
     * change can redirect that change there (see the package comment); in a jail never.
     */
    boolean changesByPath;

    /**
     * Held by every sequence of calls that depends on {@link #channel}'s position (a position-less
     * read or write, {@code lseek}, {@code ftruncate}, the appender's sync) and while the anchor is
     * found (which moves the position for an instant): so none of them sees the other's.
     */
    final Object positionLock = new Object();

    // The anchor (see anchored()): guarded by this handle's monitor.
    /** {@code /proc/self/fd/N} of {@link #channel}, once found; {@code null} before, or if it cannot be. */
    private Path anchor;
    /** Set once the anchor cannot be found (not seekable, found at construction; no {@code /proc}): the path it is. */
    private boolean unanchorable;
    /** Calls between {@link #anchored()} and {@link #doneAnchored()}. */
    private int anchorUsers;
    /** Set by {@link #release()} while calls held the anchor: the last one closes the channels. */
    private boolean releasing;

    NioFileHandle(Path path, int flags, FileChannel channel, FileChannel appender,
            boolean readable, boolean writable, boolean append, long dev, long ino) {
        super(path, flags);
        this.channel = channel;
        this.appender = appender;
        this.readable = readable;
        this.writable = writable;
        this.append = append;
        this.dev = dev;
        this.ino = ino;
        try {
            channel.position(); // lseek: nothing reads or writes through a handle being made
        } catch (IOException e) {
            // a FIFO: no offset to mark, so no anchor; and anchored() must not wait on
            // positionLock behind a read that may block until a writer comes
            unanchorable = true;
        }
    }

    /** The channel writes go through. */
    FileChannel writer() {
        return appender != null ? appender : channel;
    }

    /** A channel closes itself when a thread using it is interrupted; the handle is closed then too. */
    @Override
    protected boolean resourceOpen() {
        return channel.isOpen() && (appender == null || appender.isOpen());
    }

    /**
     * For one call that java.nio makes only by path: {@code /proc/self/fd/N}, which names this
     * handle's open file itself (the kernel follows it to the open file, whatever its path now), or
     * {@code null} where the process cannot name its descriptor so. The descriptor is found on the
     * first such call ({@link ProcFdAnchors#of}); a non-null answer holds it open until {@link
     * #doneAnchored()}, so that a close meanwhile cannot free its number for another file.
     *
     * @return the anchor, or {@code null}
     * @throws SyscallException EBADF once closed
     */
    synchronized Path anchored() throws SyscallException {
        if (releasing || !isOpen()) {
            throw new SyscallException(Errno.EBADF);
        }
        if (anchor == null && !unanchorable) {
            try {
                synchronized (positionLock) {
                    anchor = ProcFdAnchors.of(channel);
                }
            } catch (SyscallException e) {
                if (e.errno() != Errno.EOPNOTSUPP.code()) {
                    throw e;
                }
                unanchorable = true;
            }
        }
        if (anchor != null) {
            anchorUsers++;
        }
        return anchor;
    }

    /** Ends a call that {@link #anchored()} answered with an anchor. */
    void doneAnchored() {
        boolean closeNow;
        synchronized (this) {
            closeNow = --anchorUsers == 0 && releasing;
        }
        if (closeNow) {
            try {
                closeChannels();
            } catch (SyscallException e) {
                // closed already for the caller of close, which was told it succeeded
            }
        }
    }

    @Override
    protected void release() throws SyscallException {
        synchronized (this) {
            if (anchorUsers > 0) {
                releasing = true; // the last call holding the anchor closes the channels
                return;
            }
            releasing = true;
        }
        closeChannels();
    }

    private void closeChannels() throws SyscallException {
        IOException failure = null;
        try {
            channel.close();
        } catch (IOException e) {
            failure = e;
        }
        if (appender != null) {
            try {
                appender.close();
            } catch (IOException e) {
                failure = failure != null ? failure : e;
            }
        }
        if (failure != null) {
            throw ErrnoMapper.toSyscallException(failure);
        }
    }
}
