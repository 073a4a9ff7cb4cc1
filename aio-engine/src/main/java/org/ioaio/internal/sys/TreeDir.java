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

/**
 * A directory held open by a tree operation ({@code scandir}, {@code rmtree}, {@code copyTree}...),
 * which acts on its entries relative to it: {@link Syscalls#openDirAt}, {@link Syscalls#lstatAt},
 * {@link Syscalls#unlinkAt} and the other {@code *At} calls, never by a path the kernel resolves
 * again. Made by {@link Syscalls#openDir} (a path, resolved by the layer's normal rules, a jail's
 * included) or {@link Syscalls#openDirAt} (one name, {@code O_NOFOLLOW}); only the layer that made
 * it (or one that wraps it) accepts it, others fail with EBADF.
 *
 * <p>{@link #path()} is where the directory was when it was opened: for error messages, and for
 * what the portable layer can only do by path (then checked, see {@link NioSyscalls}).
 * {@link #identity()} is its {@code st_dev}/{@code st_ino}, read from the descriptor when it was
 * opened: a walk that opens a directory again by name compares it to tell a swap.
 *
 * <p>Thread-safe: calls may use it from several workers at once; {@link #close()} waits for none
 * of them (the native layer closes the descriptor once the last call in flight is done).
 */
public abstract class TreeDir implements AutoCloseable {

    private final Path path;
    private final Object identity;

    /**
     * A held directory.
     *
     * @param path where it was when opened
     * @param identity its {@code st_dev}/{@code st_ino} (any object with {@code equals})
     */
    protected TreeDir(Path path, Object identity) {
        this.path = path;
        this.identity = identity;
    }

    /** Where the directory was when it was opened (not checked). */
    public final Path path() {
        return path;
    }

    /** Its {@code st_dev}/{@code st_ino} when opened, comparable with {@code equals}. */
    public final Object identity() {
        return identity;
    }

    /** Releases the descriptor (idempotent; never fails: nothing was written through it). */
    @Override
    public abstract void close();

    @Override
    public String toString() {
        return "dir " + path;
    }
}
