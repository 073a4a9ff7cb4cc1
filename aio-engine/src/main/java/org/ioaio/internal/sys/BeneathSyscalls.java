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

import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;

/**
 * A jail resolved by the kernel: a {@link Syscalls} whose every path argument is resolved beneath
 * one directory by {@code openat2(2)} with {@code RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS}, made by
 * {@link Syscalls#beneath}. What the walk in Java ({@link WalkedJailSyscalls}) does one
 * component at a time, the kernel does in one call, with the same answers: EXDEV for an absolute
 * path, an absolute symlink or a {@code ..} above the directory (even one that later comes back),
 * ELOOP past 40 symlinks, EAGAIN when a {@code ..} raced with a rename or mount at every one of
 * the resolution's attempts (the kernel gives it for any rename in the system; it is tried again).
 *
 * <p>How each call uses the resolution: a call that does not follow a final symlink ({@code
 * lstat}, {@code unlink}, {@code mkdir}, {@code rename}...) resolves the parent directory beneath
 * the jail ({@code O_PATH | O_DIRECTORY}) and calls the {@code *at} syscall on the last component
 * relative to it; a call that follows one resolves the whole path ({@code O_PATH}, or the {@code
 * open} itself) and acts on the descriptor it got. Nothing is looked up by path afterwards, so no
 * rename or symlink swapped in can redirect a call outside, and none of the portable walk's
 * windows remain. Calls on open files are the wrapped layer's.
 *
 * <p>Only {@link WorkingDirectorySyscalls} uses it, chosen for a jail; a path it is given is relative to
 * the jail's directory (an absolute one fails with EXDEV), and ENOENT for the empty path.
 */
public interface BeneathSyscalls extends KernelResolvedSyscalls {

    /**
     * {@inheritDoc} Beneath the jail: a final symlink is followed beneath too.
     *
     * @param path the directory, relative to the jail
     * @throws SyscallException EXDEV (escapes), ENOENT, ENOTDIR, ELOOP, EACCES
     */
    @Override
    SecureDirectoryStream<Path> openDirectory(Path path) throws SyscallException;
}
