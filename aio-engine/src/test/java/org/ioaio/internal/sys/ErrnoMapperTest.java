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

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ReadOnlyBufferException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import org.ioaio.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The mapping from the JDK's exceptions to the errno the syscall would have set. */
class ErrnoMapperTest {

    private static int errno(Throwable e) {
        return ErrnoMapper.errno(e);
    }

    /** The JDK's own exception classes map to the errno they are made from. */
    @Test
    void exceptionClassesMapToTheirErrno() {
        assertThat(errno(new NoSuchFileException("f"))).isEqualTo(Errno.ENOENT.code());
        assertThat(errno(new FileAlreadyExistsException("f"))).isEqualTo(Errno.EEXIST.code());
        assertThat(errno(new DirectoryNotEmptyException("d"))).isEqualTo(Errno.ENOTEMPTY.code());
        assertThat(errno(new AccessDeniedException("f"))).isEqualTo(Errno.EACCES.code());
        assertThat(errno(new NotDirectoryException("d"))).isEqualTo(Errno.ENOTDIR.code());
        assertThat(errno(new NotLinkException("l"))).isEqualTo(Errno.EINVAL.code());
        assertThat(errno(new FileSystemLoopException("l"))).isEqualTo(Errno.ELOOP.code());
        assertThat(errno(new AtomicMoveNotSupportedException("a", "b", null))).isEqualTo(Errno.EXDEV.code());
    }

    /** A FileSystemException's reason, strerror's text, decides the errno. */
    @Test
    void strerrorReasonsMapToTheirErrno() {
        assertThat(errno(new FileSystemException("f", null, "Is a directory"))).isEqualTo(Errno.EISDIR.code());
        assertThat(errno(new FileSystemException("f", null, "File name too long"))).isEqualTo(Errno.ENAMETOOLONG.code());
        assertThat(errno(new FileSystemException("f", null, "No space left on device"))).isEqualTo(Errno.ENOSPC.code());
        assertThat(errno(new FileSystemException("a", "b", "Invalid cross-device link"))).isEqualTo(Errno.EXDEV.code());
        assertThat(errno(new FileSystemException("a", "b", "Directory not empty"))).isEqualTo(Errno.ENOTEMPTY.code());
        assertThat(errno(new FileSystemException("f", null, "Operation not permitted"))).isEqualTo(Errno.EPERM.code());
        assertThat(errno(new FileSystemException("f", null, "Read-only file system"))).isEqualTo(Errno.EROFS.code());
    }

    /** The JDK's extended ELOOP reason ("... or unable to access attributes of symbolic link") is still ELOOP. */
    @Test
    void reasonsWithJdkSuffixMapByPrefix() {
        assertThat(errno(new FileSystemException("l", null,
                "Too many levels of symbolic links or unable to access attributes of symbolic link")))
                .isEqualTo(Errno.ELOOP.code());
        assertThat(errno(new IOException("Too many levels of symbolic links (NOFOLLOW_LINKS specified)")))
                .isEqualTo(Errno.ELOOP.code());
    }

    /** A plain IOException whose message is strerror's text maps like a reason; an unknown one is EIO. */
    @Test
    void ioExceptionMessagesMapOrFallBackToEio() {
        assertThat(errno(new IOException("No space left on device"))).isEqualTo(Errno.ENOSPC.code());
        assertThat(errno(new IOException("Is a directory"))).isEqualTo(Errno.EISDIR.code());
        assertThat(errno(new IOException("something else entirely"))).isEqualTo(Errno.EIO.code());
        assertThat(errno(new IOException())).isEqualTo(Errno.EIO.code());
        assertThat(errno(new FileSystemException("f"))).isEqualTo(Errno.EIO.code());
    }

    /** Every Errno's own strerror text maps back to that errno. */
    @ParameterizedTest
    @EnumSource(Errno.class)
    void everyErrnoMessageMapsBack(Errno e) {
        assertThat(errno(new FileSystemException("f", null, e.message()))).isEqualTo(e.code());
    }

    /** Channel states: closed is EBADF, closed by an interrupt is EINTR, wrong direction is EBADF. */
    @Test
    void channelStatesMapToEbadfOrEintr() {
        assertThat(errno(new ClosedChannelException())).isEqualTo(Errno.EBADF.code());
        assertThat(errno(new AsynchronousCloseException())).isEqualTo(Errno.EBADF.code());
        assertThat(errno(new ClosedByInterruptException())).isEqualTo(Errno.EINTR.code());
        assertThat(errno(new NonReadableChannelException())).isEqualTo(Errno.EBADF.code());
        assertThat(errno(new NonWritableChannelException())).isEqualTo(Errno.EBADF.code());
    }

    /** A NUL byte in a name is ENOENT (as Perl's open); another invalid name is EINVAL. */
    @Test
    void invalidPathsMapToEnoentForNulElseEinval() {
        assertThat(errno(new InvalidPathException("a\0b", "Nul character not allowed"))).isEqualTo(Errno.ENOENT.code());
        assertThat(errno(new InvalidPathException("a", "Malformed input or input contains unmappable characters")))
                .isEqualTo(Errno.EINVAL.code());
    }

    /** Runtime exceptions the JDK uses for errnos, and wrappers, map to their errno. */
    @Test
    void runtimeExceptionsAndWrappersMap() {
        assertThat(errno(new UncheckedIOException(new NoSuchFileException("f")))).isEqualTo(Errno.ENOENT.code());
        assertThat(errno(new UnsupportedOperationException())).isEqualTo(Errno.ENOSYS.code());
        assertThat(errno(new IllegalArgumentException())).isEqualTo(Errno.EINVAL.code());
        assertThat(errno(new ReadOnlyBufferException())).isEqualTo(Errno.EFAULT.code());
        assertThat(errno(new SyscallException(Errno.ESTALE))).isEqualTo(Errno.ESTALE.code());
        assertThat(errno(new IOException("Channel position (3) is not a multiple of the block size (512)")))
                .isEqualTo(Errno.EINVAL.code());
    }

    /** toSyscallException keeps the original exception as the cause and passes SyscallExceptions through. */
    @Test
    void toSyscallExceptionKeepsTheCause() {
        NoSuchFileException cause = new NoSuchFileException("f");
        SyscallException e = ErrnoMapper.toSyscallException(cause);
        assertThat(e.errno()).isEqualTo(Errno.ENOENT.code());
        assertThat(e.getCause()).isSameAs(cause);
        assertThat(e.getStackTrace()).isEmpty();
        assertThat(e.getMessage()).isEqualTo("ENOENT (No such file or directory)");
        assertThat(ErrnoMapper.toSyscallException(e)).isSameAs(e);
        assertThat(e.toAioException("stat", "f").errno()).isEqualTo(Errno.ENOENT.code());
    }
}
