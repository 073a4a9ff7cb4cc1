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
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.OverlappingFileLockException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.ioaio.AioConstants;
import org.ioaio.Errno;
import org.ioaio.RecordLock;

/**
 * Record locks of the portable layer: {@link FileChannel#tryLock(long, long, boolean)} and {@link
 * FileLock#release()}, and the locks each handle holds, so that an unlock can find them.
 *
 * <p>What the JDK gives is not {@code fcntl}: its locks are process locks ({@code F_SETLK} under the
 * hood on Linux) whatever the caller asked for, and inside one JVM the JDK refuses a lock that
 * overlaps any lock the JVM already holds on the file, through any channel, the same handle
 * included ({@link OverlappingFileLockException}); that is reported as EAGAIN, as if another owner
 * held it (so two handles of one JVM exclude each other, as open-file-description locks do, but a
 * handle cannot upgrade or re-lock its own range). A lock cannot be split: unlocking part of a
 * lock fails with EINVAL; an unlock releases every lock of the handle that lies inside its range.
 * {@code F_GETLK} cannot be asked and fails with ENOSYS. A waiting command ({@code F_SETLKW}) blocks
 * in {@link FileChannel#lock}, which an interrupt ends by closing the channel; the engine never
 * uses it (it polls, see {@code LockRequest}).
 */
final class NioRecordLocks {

    private NioRecordLocks() {}

    /** The locks each handle holds; guarded by the map's monitor. */
    private static final Map<NioFileHandle, List<FileLock>> HELD = new WeakHashMap<>();

    static RecordLock fcntlLock(NioFileHandle f, int cmd, RecordLock lock) throws SyscallException {
        boolean set = cmd == AioConstants.F_SETLK || cmd == AioConstants.F_OFD_SETLK;
        boolean setWait = cmd == AioConstants.F_SETLKW || cmd == AioConstants.F_OFD_SETLKW;
        if (cmd == AioConstants.F_GETLK || cmd == AioConstants.F_OFD_GETLK) {
            throw new SyscallException(Errno.ENOSYS);
        }
        if (!set && !setWait) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (lock.start() < 0 || lock.length() < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        long size = lock.length() == 0 ? Long.MAX_VALUE - lock.start() : lock.length();
        if (lock.type() == AioConstants.F_UNLCK) {
            unlock(f, lock.start(), size);
            return lock;
        }
        if (lock.type() != AioConstants.F_RDLCK && lock.type() != AioConstants.F_WRLCK) {
            throw new SyscallException(Errno.EINVAL);
        }
        boolean shared = lock.type() == AioConstants.F_RDLCK;
        FileChannel ch = shared ? f.channel : f.writer();
        FileLock l;
        try {
            l = setWait ? ch.lock(lock.start(), size, shared) : ch.tryLock(lock.start(), size, shared);
        } catch (OverlappingFileLockException e) {
            throw new SyscallException(Errno.EAGAIN);
        } catch (NonReadableChannelException | NonWritableChannelException e) {
            throw new SyscallException(Errno.EBADF);
        } catch (IllegalArgumentException e) {
            throw new SyscallException(Errno.EINVAL);
        } catch (IOException e) {
            throw ErrnoMapper.toSyscallException(e);
        }
        if (l == null) {
            throw new SyscallException(Errno.EAGAIN);
        }
        synchronized (HELD) {
            HELD.computeIfAbsent(f, k -> new ArrayList<>()).add(l);
        }
        return lock;
    }

    private static void unlock(NioFileHandle f, long start, long size) throws SyscallException {
        long end = start + size; // size <= MAX - start: no overflow
        List<FileLock> release = new ArrayList<>();
        synchronized (HELD) {
            List<FileLock> mine = HELD.get(f);
            if (mine == null) {
                return;
            }
            mine.removeIf(l -> !l.isValid());
            for (FileLock l : mine) {
                long ls = l.position();
                long le = ls + l.size();
                boolean overlaps = ls < end && start < le;
                if (overlaps && (ls < start || le > end)) {
                    throw new SyscallException(Errno.EINVAL); // would split a lock: the JDK cannot
                }
                if (overlaps) {
                    release.add(l);
                }
            }
            mine.removeAll(release);
        }
        SyscallException failure = null;
        for (FileLock l : release) {
            try {
                l.release();
            } catch (IOException e) {
                failure = failure != null ? failure : ErrnoMapper.toSyscallException(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
