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

import org.ioaio.Errno;
import org.ioaio.FileStat;

/**
 * What a trailing slash means to Linux, for the layers that cannot pass one to the kernel (the
 * portable layer, the Java walk of a jail): every check here runs on the worker, through the same
 * layer's own calls, just before the call it qualifies, and answers with the errno Linux gives.
 *
 * <p>Linux's rules for a last component {@code "name/"}: it must be a directory, and a symbolic
 * link there is followed ({@code lstat("link/")} is the directory's {@code stat}); a call that
 * creates or removes a name does not follow it ({@code unlink} is EISDIR for a directory and ENOTDIR
 * otherwise, {@code rmdir} and {@code rename} want a real directory, {@code mknod}/{@code
 * symlink}/{@code link} to {@code "new/"} are ENOENT or EEXIST, {@code open} with {@code O_CREAT}
 * is EISDIR). Calls that never succeed with a slash fail here without being made; the others are
 * made on the {@code Path} after the check (a name replaced in between is answered as it is then).
 */
final class SlashSemantics {

    private SlashSemantics() {}

    /** The {@code stat} of {@code name} (followed), which must be a directory: ENOTDIR otherwise. */
    static FileStat directory(Syscalls s, Pathname name) throws SyscallException {
        FileStat st = s.stat(name.path());
        if (!st.isDirectory()) {
            throw new SyscallException(Errno.ENOTDIR);
        }
        return st;
    }

    /** The {@code lstat} of {@code name}, or {@code null} if there is none (ENOENT). */
    static FileStat lstatOrNull(Syscalls s, Pathname name) throws SyscallException {
        try {
            return s.lstat(name.path());
        } catch (SyscallException e) {
            if (e.errno() == Errno.ENOENT.code()) {
                return null;
            }
            throw e;
        }
    }

    /** For a call that creates {@code "name/"} as anything but a directory: EEXIST if it exists, else ENOENT. */
    static SyscallException createNonDirectory(Syscalls s, Pathname name) throws SyscallException {
        return new SyscallException(lstatOrNull(s, name) != null ? Errno.EEXIST : Errno.ENOENT);
    }

    /** {@code unlink("name/")}: never removes; ENOENT, EISDIR for a directory, ENOTDIR for anything else. */
    static SyscallException unlink(Syscalls s, Pathname name) throws SyscallException {
        FileStat st = lstatOrNull(s, name);
        if (st == null) {
            return new SyscallException(Errno.ENOENT);
        }
        return new SyscallException(st.isDirectory() ? Errno.EISDIR : Errno.ENOTDIR);
    }

    /** The source of a {@code rename} with a slash on either name must be a real directory; a slashed target must be one or missing. */
    static void rename(Syscalls s, Pathname from, Pathname to) throws SyscallException {
        FileStat src = s.lstat(from.path());
        if (!src.isDirectory()) {
            throw new SyscallException(Errno.ENOTDIR);
        }
        if (to.trailingSlash()) {
            FileStat dst = lstatOrNull(s, to);
            if (dst != null && !dst.isDirectory()) {
                throw new SyscallException(Errno.ENOTDIR);
            }
        }
    }

    /** {@code rmdir("name/")}: the name itself (not followed) must be a directory. */
    static void rmdir(Syscalls s, Pathname name) throws SyscallException {
        if (!s.lstat(name.path()).isDirectory()) {
            throw new SyscallException(Errno.ENOTDIR);
        }
    }
}
