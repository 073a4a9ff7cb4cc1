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
    /** {@code st_dev} of the opened file, checked by path-based emulations of f*-calls; -1 if unknown. */
    final long dev;
    /** {@code st_ino} of the opened file; -1 if unknown. */
    final long ino;

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

    @Override
    protected void release() throws SyscallException {
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
