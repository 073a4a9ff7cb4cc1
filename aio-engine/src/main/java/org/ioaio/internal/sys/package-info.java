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

/**
 * The syscall layer: one blocking method per syscall ({@link org.ioaio.internal.sys.Syscalls}),
 * failing with an errno, its portable implementation ({@link org.ioaio.internal.sys.NioSyscalls};
 * the native one is {@code org.ioaio.internal.linux}) and its decorators, each a {@link
 * org.ioaio.internal.sys.ForwardingSyscalls}: the working directories below. Fault injection for
 * tests ({@code org.ioaio.faults.FaultInjectingSyscalls}, in the engine's test tree and its test
 * jar, which {@code aio-test} uses) is a {@link java.lang.reflect.Proxy} over the interface, put
 * above a view's working directory ({@code AioEngine.Builder.decorate}), so it sees each call of a
 * request once, with the path as given; without it nothing is in the stack.
 *
 * <h2>Working directories: a stack of layers chosen once</h2>
 * An engine view made by {@code AioEngine.in(wd)} has a {@link
 * org.ioaio.internal.sys.WorkingDirectorySyscalls}: it resolves every path argument against a
 * working directory ({@link org.ioaio.internal.sys.DirectoryHandle}) and passes every call on an
 * open file straight to the wrapped layer. This is IO::AIO's {@code [$wd, $path]}. It chooses once
 * the layer its paths go to, and forwards to it without asking again: the kernel's where the
 * wrapped layer has one ({@link org.ioaio.internal.sys.KernelResolvedSyscalls}: {@code
 * Syscalls.relative} for an ordinary working directory, {@link
 * org.ioaio.internal.sys.BeneathSyscalls} for a jail), else a layer in Java: {@code
 * RelativeSyscalls} for an ordinary working directory, {@code WalkedJailSyscalls}, the walk, for a
 * jail. Both Java layers share {@code DirectorySyscalls}: a path resolved to a name relative to an
 * open directory, and the calls made through it.
 *
 * <h3>An ordinary working directory on the native layer ({@code Syscalls.relative})</h3>
 * Every path call is the kernel's {@code *at} syscall on a descriptor of the directory, with the
 * path as given, which is how libeio makes IO::AIO's {@code [$wd, $path]}: an absolute path ignores
 * the directory, a relative one is resolved from it, symlinks and {@code ..} are followed as
 * anywhere else. The few calls with no {@code *at} form ({@code statvfs}, {@code truncate}, {@code
 * realpath}) resolve the path with {@code openat(O_PATH)} and act on that descriptor. No call goes
 * by the directory's path, except IO::AIO's special case of {@code "."} below.
 *
 * <h3>An ordinary working directory on the portable layer ({@code RelativeSyscalls})</h3>
 * An absolute path ignores it (IO::AIO) and goes to the wrapped layer unchanged. A relative path
 * is resolved {@code openat}-style, relative to the directory's descriptor, by the calls the JDK
 * offers on a {@link java.nio.file.SecureDirectoryStream}: {@code open}, {@code stat}/{@code lstat}, {@code
 * unlink}, {@code rmdir}, {@code rename}, {@code truncate}, {@code readdir}. Those keep acting on
 * the directory that was opened when its path is renamed or replaced. The JDK has no {@code
 * mkdirat}, {@code symlinkat}, {@code linkat}, {@code readlinkat}, {@code mknodat} and no
 * path-relative {@code statvfs}, and its descriptor-relative {@code utime}/{@code chown}/{@code
 * chmod} open the file (which blocks on a FIFO, may need read permission where the syscall does
 * not, and cannot set set-id bits): so {@code mkdir}, {@code symlink}, {@code link}, {@code
 * readlink}, {@code realpath}, {@code statvfs}, {@code utime}, {@code chown}, {@code chmod},
 * {@code mknod}, {@code rename2} with flags and {@code readdirDents} go by a path that names the
 * directory through a descriptor of its own, {@code /proc/self/fd/N/./path} ({@code
 * ProcFdAnchors.Held}, opened on the first such call and closed with the directory; a call in
 * flight holds it): the kernel resolves that from the descriptor, as libeio's {@code *at} calls
 * resolve {@code [$wd, $path]}, so these too keep acting on the directory that was opened while
 * its path is renamed or replaced. Where the process cannot name its descriptors so (no {@code
 * /proc/self/fdinfo}: not Linux), they use the directory's path <em>now</em> ({@code
 * DirectoryHandle.locate}), checked just before. {@code rmdir} of {@code "."}, and {@code
 * rename} or {@code rename2} from {@code "."}, act on the directory itself by that path, as
 * IO::AIO special-cases {@code [$wd, "."]} for them (not in a jail). {@code stat} reads the
 * numbers the JDK only gives by path ({@code st_ino}, {@code st_nlink}, ...) by path, and returns
 * them only if they are those of the file the descriptor found (same {@code st_dev}/{@code
 * st_ino}); once the directory has that descriptor of its own (or when the path led elsewhere),
 * {@code stat} is one call through it.
 *
 * <h3>A jail ({@code BeneathSyscalls} or {@code WalkedJailSyscalls})</h3>
 * No path may leave the directory. Where the wrapped layer can ask the kernel ({@code
 * Syscalls.beneath}: the native layer, with {@code openat2(2)}), every path call of a jail is its
 * {@code BeneathSyscalls}: {@code openat2} with {@code RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS}
 * resolves the path (or its parent, for calls that do not follow a final symlink) from a
 * descriptor of the jail's directory, and the call acts on what it resolved; none of the windows
 * listed below remain. Where it cannot (the portable layer; {@code beneath} fails with ENOSYS, as
 * on a kernel without {@code openat2}), the jail is walked here, as follows, with the same errnos.
 *
 * <p>The walk follows {@code openat2(2)} with {@code
 * RESOLVE_BENEATH}, so that the native layer can give identical answers: an absolute path, an
 * absolute symlink, and a {@code ..} that would climb above the jail's root (at any point, even if
 * later components would come back) fail with <b>EXDEV</b>, the errno {@code RESOLVE_BENEATH}
 * uses. The walk is done here, one component at a time: each component is looked at with {@code
 * fstatat} relative to the directory reached so far and, if a directory, opened relative to it
 * with {@code O_NOFOLLOW}, so what is checked is what is used (a symlink swapped in between makes
 * that open fail with ELOOP, and the component is looked at again). A symlink component is read
 * and its target walked from the symlink's directory; more than 40 symlinks
 * fail with ELOOP (Linux's limit). A {@code ..} goes back to the directory walked through, checked to be
 * the current parent of where the walk is (EAGAIN if it was moved meanwhile, as {@code openat2}).
 * The last component is then used relative to its directory's descriptor without following
 * symlinks: a symlink swapped in after the walk makes the call fail (ELOOP or EAGAIN), never act
 * outside. Requests are resolved when they execute, so a symlink swapped in while a request was
 * queued is seen by its walk.
 *
 * <p>Over the native layer (a kernel without {@code openat2}), what the JDK cannot do relative to
 * its descriptor is done by that layer relative to the directory the walk reached ("held
 * again"): opened again by its checked path and kept only if it is that directory ({@code
 * st_dev}/{@code st_ino}; EAGAIN otherwise), then the layer's {@code *at} call on the last
 * component: {@code open} ({@code openat} with {@code O_NOFOLLOW}; {@code O_PATH} and {@code
 * O_TMPFILE} too), {@code mkdir}, {@code symlink}, {@code link}, {@code mknod} (every type), {@code
 * rename2} with flags ({@code renameat2}), and the changes listed below. No path is used after
 * the check, and these answer as the kernel's jail does. Over the portable layer, what the JDK
 * cannot do relative to a descriptor is done so that it cannot act outside, or else with the
 * narrowest check the JDK allows, documented here:
 * <ul>
 *   <li>{@code mkdir} and {@code symlink} create the new name under a random name in the jail's
 *       root (whose path is trusted: whoever can rename the jail's ancestors is outside it) and
 *       {@code renameat} it into place: nothing can be created outside. Where the root cannot
 *       take it (not writable, read-only, or the target on another mount), the name is created
 *       through a descriptor of the walked directory named as {@code /proc/self/fd/N/name}
 *       ({@code ProcFdAnchors}: the kernel resolves that from the descriptor, as an {@code *at}
 *       call); where the process has no {@code /proc/self/fdinfo} to find that descriptor's
 *       number, it fails with <b>EOPNOTSUPP</b>.
 *   <li>{@code link}: {@code link(2)} of the two names through descriptors of the two walked
 *       directories, the same way; EOPNOTSUPP without {@code /proc/self/fdinfo}. No path through
 *       the jail is used, so an outside file is never linked, not even for an instant.
 *   <li>{@code readlink}, {@code statvfs}, {@code readdirDents}, {@code stat}'s numbers: read by path
 *       and used only if the path still leads to what the walk found.
 *   <li>{@code utime}, {@code chown}, {@code chmod}: over the native layer always its {@code *At}
 *       calls on the directory held again, nothing opened. Over the portable layer through a
 *       descriptor opened so that a FIFO renamed in after the type check cannot make it wait (the
 *       JDK's own views open the name {@code O_RDONLY}, which waits on a FIFO for a writer): a
 *       directory's own, opened as {@code name/.}; a regular file's, opened read-write with {@code
 *       O_NOFOLLOW} (which needs write permission: EACCES without) and named {@code
 *       /proc/self/fd/N}; each checked to be what the walk found. The JDK cannot make some changes
 *       that way: set-id and sticky bits (of {@code chmod}, {@code mknod} and a creating {@code
 *       open}), and the attributes of FIFOs, devices and sockets (opening one waits for a writer
 *       or has effects on a device). Over the native layer these are its
 *       {@code *At} calls on the directory held again ({@code openat(dir, name, O_PATH |
 *       O_NOFOLLOW)}, then the change on that descriptor). Over
 *       the portable layer they could only be made by path, and a directory on it could be
 *       swapped for a symlink to outside between any check and the call, so they fail with
 *       <b>EOPNOTSUPP</b> before anything changes. Apart from
 *       what the portable layer lacks everywhere ({@code O_PATH}, {@code mknod} of a FIFO...),
 *       this is the one place where a portable jail answers differently from the kernel's.
 *   <li>{@code rename2} with {@code RENAME_NOREPLACE}: {@code fstatat} then {@code renameat}; a
 *       name created inside the jail in between is replaced. EXCHANGE and WHITEOUT: ENOSYS.
 * </ul>
 * Symlinks may be created in a jail with any target (it is data); no request through the jail
 * follows one out. A hard link to an outside file that already exists inside is the file's own
 * name inside: it is used (a jail confines names, not inodes, as {@code openat2} does).
 * Every directory on a jailed path must be readable: the JDK opens each one {@code O_RDONLY}
 * where the kernel's walk needs only search permission (a native walk would use {@code O_PATH}).
 * Files opened through a jail are ordinary {@code FileHandle}s: on the portable layer their
 * {@code f*} calls are path-based, identity-checked emulations ({@code NioSyscalls}), not the
 * jail's walk. Where the JDK's descriptor-relative {@code utime} uses {@code futimes} (JDK 17),
 * times set through it have microsecond precision.
 *
 * <h3>Wrapped layers</h3>
 * Over the portable layer (maybe fault-injected), {@code open} opens relative to the descriptor
 * and returns the portable layer's handle. A layer with handles of its own (the native one) cannot
 * be given a descriptor-relative open by the JDK. In a jail it opens relative to the walked
 * directory held again (above). Under an ordinary working directory {@code open} does what
 * changes the file system ({@code O_CREAT}, {@code O_TRUNC}) through the descriptor, has the
 * wrapped layer open the checked path without those flags, and keeps the handle only if {@code
 * fstat} says it is the file the descriptor found (EAGAIN otherwise): the result is the same, but
 * a concurrent rename can make that open touch (open, not change) another file for an instant. Every other
 * call is layer-independent; {@code stat}'s {@code st_blksize}/{@code st_blocks} are the portable
 * layer's (see {@link org.ioaio.FileStat}).
 *
 */
package org.ioaio.internal.sys;
