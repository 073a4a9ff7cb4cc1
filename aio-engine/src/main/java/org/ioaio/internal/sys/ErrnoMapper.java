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
import java.io.UncheckedIOException;
import java.nio.ReadOnlyBufferException;
import java.nio.file.ClosedDirectoryStreamException;
import java.nio.file.DirectoryIteratorException;
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
import java.util.HashMap;
import java.util.Map;
import org.ioaio.Errno;

/**
 * The one place where a Java exception becomes the errno the syscall would have set.
 *
 * <p>The JDK's Unix file system builds its exceptions from the errno: a few become their own
 * class ({@link NoSuchFileException} for ENOENT, {@link FileAlreadyExistsException} for EEXIST,
 * {@link AccessDeniedException} for EACCES), every other one a {@link FileSystemException} whose
 * reason (or an {@link IOException} whose message) is {@code strerror(errno)}. So the text is
 * tried first, against glibc's messages (those of {@link Errno}), then the class; what matches
 * neither is EIO. The text is glibc's in the C and English locales; under a translated
 * {@code LC_MESSAGES} only the class-based mapping remains, and the native layer, which sees the
 * errno itself, should be preferred.
 *
 * <p>A NUL byte in a path name is ENOENT: Perl's own {@code open} and {@code stat} fail that
 * way, and the name could never exist. (IO::AIO 4.8 instead passes the C string on, cut at the
 * NUL, so {@code "/tmp\0x"} opens {@code /tmp}; a path-truncation trap that is not copied here.)
 */
public final class ErrnoMapper {

    /** The messages of {@code strerror(3)} (glibc), to their errno. */
    private static final Map<String, Integer> BY_MESSAGE = new HashMap<>();

    static {
        for (Errno e : Errno.values()) {
            BY_MESSAGE.put(e.message(), e.code());
        }
        // older glibc spellings
        BY_MESSAGE.put("Stale NFS file handle", Errno.ESTALE.code());
        BY_MESSAGE.put("Not supported", Errno.EOPNOTSUPP.code());
    }

    private ErrnoMapper() {}

    /**
     * The errno {@code e} stands for.
     *
     * @param e an exception from a file operation
     * @return a positive POSIX error number (EIO when nothing more precise is known)
     */
    public static int errno(Throwable e) {
        if (e instanceof SyscallException) {
            return ((SyscallException) e).errno();
        }
        if ((e instanceof UncheckedIOException || e instanceof DirectoryIteratorException) && e.getCause() != null) {
            return errno(e.getCause());
        }
        // Channel states: before the generic IOException text lookup (their messages are null).
        if (e instanceof ClosedByInterruptException) {
            return Errno.EINTR.code(); // the thread was interrupted; the channel is now closed
        }
        if (e instanceof AsynchronousCloseException || e instanceof ClosedChannelException
                || e instanceof ClosedDirectoryStreamException) {
            return Errno.EBADF.code(); // closed before or during the call
        }
        if (e instanceof NonReadableChannelException || e instanceof NonWritableChannelException) {
            return Errno.EBADF.code(); // read(2)/write(2) on a descriptor not open for it
        }
        if (e instanceof InvalidPathException) {
            String reason = ((InvalidPathException) e).getReason();
            return reason != null && reason.startsWith("Nul character")
                    ? Errno.ENOENT.code()
                    : Errno.EINVAL.code(); // e.g. a name the platform encoding cannot represent
        }
        if (e instanceof FileSystemException) {
            int byText = byMessage(((FileSystemException) e).getReason());
            return byText != 0 ? byText : byClass((FileSystemException) e);
        }
        if (e instanceof IOException) {
            String message = e.getMessage();
            int byText = byMessage(message);
            if (byText != 0) {
                return byText;
            }
            if (message != null && message.contains("multiple of the block size")) {
                return Errno.EINVAL.code(); // O_DIRECT misalignment, which read(2)/write(2) report as EINVAL
            }
            return Errno.EIO.code();
        }
        if (e instanceof ReadOnlyBufferException) {
            return Errno.EFAULT.code(); // a write to a read-only mapping
        }
        if (e instanceof UnsupportedOperationException) {
            return Errno.ENOSYS.code();
        }
        if (e instanceof IllegalArgumentException) {
            return Errno.EINVAL.code();
        }
        if (e instanceof SecurityException) {
            return Errno.EACCES.code();
        }
        return Errno.EIO.code();
    }

    /**
     * A JDK file call's failure as the errno it stands for: an {@link IOException}, or a runtime
     * exception the JDK uses for an errno (a bad argument, a closed stream, an unsupported
     * operation, an I/O failure of a mapping or a listing); any other runtime exception is a bug
     * and is rethrown. The one try/catch-to-errno of the portable calls.
     *
     * @param e what the call threw
     * @return the syscall failure
     */
    public static SyscallException failure(Exception e) {
        if (e instanceof RuntimeException r
                && !(r instanceof IllegalArgumentException
                        || r instanceof IllegalStateException
                        || r instanceof UnsupportedOperationException
                        || r instanceof UncheckedIOException
                        || r instanceof SecurityException
                        || r instanceof DirectoryIteratorException)) {
            throw r;
        }
        return toSyscallException(e);
    }

    /**
     * {@code e} as a {@link SyscallException} with the errno it stands for and {@code e} as cause.
     *
     * @param e an exception from a file operation
     * @return the syscall failure ({@code e} itself if it is one)
     */
    public static SyscallException toSyscallException(Throwable e) {
        if (e instanceof SyscallException) {
            return (SyscallException) e;
        }
        return new SyscallException(errno(e), e);
    }

    /**
     * The errno whose {@code strerror} text {@code message} is, or starts with (the JDK sometimes
     * appends to it: "Too many levels of symbolic links or unable to access attributes of symbolic
     * link").
     *
     * @param message a reason or message, or {@code null}
     * @return the errno, or 0 when the text is not a known {@code strerror} message
     */
    static int byMessage(String message) {
        if (message == null || message.isEmpty()) {
            return 0;
        }
        Integer exact = BY_MESSAGE.get(message);
        if (exact != null) {
            return exact;
        }
        int best = 0;
        int bestLength = 0;
        for (Map.Entry<String, Integer> m : BY_MESSAGE.entrySet()) {
            String known = m.getKey();
            if (known.length() > bestLength && message.startsWith(known)) {
                best = m.getValue();
                bestLength = known.length();
            }
        }
        return best;
    }

    private static int byClass(FileSystemException e) {
        if (e instanceof NoSuchFileException) {
            return Errno.ENOENT.code();
        }
        if (e instanceof FileAlreadyExistsException) {
            return Errno.EEXIST.code();
        }
        if (e instanceof DirectoryNotEmptyException) {
            return Errno.ENOTEMPTY.code();
        }
        if (e instanceof AccessDeniedException) {
            return Errno.EACCES.code();
        }
        if (e instanceof NotDirectoryException) {
            return Errno.ENOTDIR.code();
        }
        if (e instanceof NotLinkException) {
            return Errno.EINVAL.code(); // readlink(2) on something that is not a symlink
        }
        if (e instanceof FileSystemLoopException) {
            return Errno.ELOOP.code();
        }
        if (e instanceof AtomicMoveNotSupportedException) {
            return Errno.EXDEV.code(); // the JDK's translation of rename(2)'s EXDEV
        }
        return Errno.EIO.code();
    }
}
