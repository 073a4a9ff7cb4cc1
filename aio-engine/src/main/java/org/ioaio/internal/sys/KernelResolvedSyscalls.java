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
 * A {@link Syscalls} whose every path call the kernel resolves from a directory descriptor the layer
 * holds, in the call itself ({@code *at} syscalls, {@code openat2}): a working directory's calls on
 * a native layer. {@link Syscalls#relative} makes them for an ordinary working directory, {@link
 * Syscalls#beneath} ({@link BeneathSyscalls}) for a jail. Calls on open files are the wrapped
 * layer's.
 */
public interface KernelResolvedSyscalls extends Syscalls {

    /**
     * Opens, as a JDK directory stream, the directory {@code path} resolves to (following a final
     * symlink): what {@code aio_wd [$wd, $path]} holds.
     *
     * @param path the directory, resolved as this layer resolves paths
     * @return the open stream, the caller's to close
     * @throws SyscallException ENOENT, ENOTDIR, ELOOP, EACCES (the JDK reads the directory, so it
     *     must be readable); EXDEV for an escape from a jail
     */
    SecureDirectoryStream<Path> openDirectory(Path path) throws SyscallException;
}
