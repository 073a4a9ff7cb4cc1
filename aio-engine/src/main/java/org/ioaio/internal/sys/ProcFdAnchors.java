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

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.ioaio.Errno;

/**
 * Directories a walk holds, each named by a descriptor of its own through {@code /proc/self/fd}:
 * what the portable layer uses for the calls the JDK makes only by path ({@code mkdir}, {@code
 * symlink}, {@code link}) where a path through the jail could be redirected. The kernel resolves
 * {@code /proc/self/fd/N/name} as {@code name} relative to descriptor {@code N}, as an {@code *at}
 * call would: a directory on the jail's path swapped for a symlink meanwhile changes nothing.
 * The same way, {@link Held} names a working directory for as long as it is open ({@link
 * RelativeSyscalls}), and {@link #of} an open file's own descriptor ({@link NioFileHandle#anchored}:
 * its {@code fchmod}, {@code fchown}, {@code futimens}).
 *
 * <p>The JDK does not say which number a descriptor has. Each directory is opened again relative
 * to the walk's descriptor ({@code openat(dir, ".", O_RDONLY)}, as a byte channel) and its offset
 * set to a random marker ({@code lseek}); the one descriptor in {@code /proc/self/fdinfo} at that
 * offset is this one, and it stays this one while the channel is open (nobody else closes it).
 * The descriptor is then checked to be the directory ({@code st_dev}/{@code st_ino}). Finding it
 * lists {@code /proc/self/fdinfo} before the open and reads the files of the few numbers the
 * kernel most likely gives next (it gives the lowest free one); only if another thread took or
 * freed a number meanwhile, every one: tens of microseconds, growing with the number of open
 * descriptors; for calls java.nio cannot make otherwise, not for every request.
 *
 * <p>Not thread-safe: one request's worker opens, uses and closes it.
 */
final class ProcFdAnchors implements AutoCloseable {

    private static final Path FDINFO = Path.of("/proc/self/fdinfo");
    private static final Path FD = Path.of("/proc/self/fd");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Markers are drawn below 2^31: every file system takes such a directory offset. */
    private static final int MARKER_BASE = 1 << 30;

    /** How many numbers below the first free one {@link #find} reads before all the others. */
    private static final int LIKELY = 8;

    /** {@code /proc/self/fdinfo}, listed. */
    private static final File FDINFO_DIR = FDINFO.toFile();

    /**
     * Held while anchors are made, so that the descriptors other anchors open and close meanwhile
     * (a listing, an fdinfo read) do not take the numbers {@link #find} looks at first.
     */
    private static final Object ANCHORING = new Object();

    private final SeekableByteChannel[] channels;
    private final Path[] anchors;

    private ProcFdAnchors(int n) {
        channels = new SeekableByteChannel[n];
        anchors = new Path[n];
    }

    /**
     * Anchors the directories {@code dirs} (keys {@code keys}); one read of {@code
     * /proc/self/fdinfo} for all.
     *
     * @param dirs directories the walk holds
     * @param keys their keys
     * @return the anchors, to close after the call
     * @throws SyscallException EOPNOTSUPP where the process cannot name its descriptors this way
     *     (no {@code /proc}, or a file system that refuses a directory offset); EAGAIN if the
     *     descriptor found is not the directory
     * @throws IOException as openat(2)
     */
    static ProcFdAnchors open(List<SecureDirectoryStream<Path>> dirs, List<Object> keys) throws IOException, SyscallException {
        int n = dirs.size();
        ProcFdAnchors a = new ProcFdAnchors(n);
        try {
            long[] markers = new long[n];
            int base = MARKER_BASE + RANDOM.nextInt(MARKER_BASE - n);
            int[] fds;
            synchronized (ANCHORING) {
                int[] before = openDescriptors();
                for (int i = 0; i < n; i++) {
                    a.channels[i] = dirs.get(i).newByteChannel(DirectoryHandle.DOT, Set.of(StandardOpenOption.READ));
                    markers[i] = base + i;
                    try {
                        a.channels[i].position(markers[i]);
                    } catch (IOException e) {
                        throw new SyscallException(Errno.EOPNOTSUPP.code(), e); // the file system refuses the offset
                    }
                }
                fds = find(markers, before);
            }
            for (int i = 0; i < n; i++) {
                Path anchor = FD.resolve(Integer.toString(fds[i]));
                Object key = Files.readAttributes(anchor, BasicFileAttributes.class).fileKey();
                if (!keys.get(i).equals(key)) {
                    throw new SyscallException(Errno.EAGAIN);
                }
                a.anchors[i] = anchor;
            }
            return a;
        } catch (IOException | SyscallException | RuntimeException e) {
            a.close();
            throw e;
        }
    }

    /**
     * The descriptor numbers at {@code markers}. The kernel gives a new descriptor the lowest free
     * number. {@code before} was listed through a descriptor of its own, which had the lowest free
     * number then and was closed: ours most likely got that number (present in {@code before},
     * just below its first free number when no lower one was free) or the first free numbers of
     * {@code before}. Those are read first, down from the first free number; failing that (a
     * number taken or freed meanwhile by another thread), every open descriptor.
     */
    private static int[] find(long[] markers, int[] before) throws SyscallException {
        byte[][] lines = new byte[markers.length][];
        for (int i = 0; i < markers.length; i++) {
            lines[i] = ("pos:\t" + markers[i] + "\n").getBytes(StandardCharsets.US_ASCII);
        }
        int[] fds = new int[markers.length];
        Arrays.fill(fds, -1);
        int left = markers.length;
        int firstFree = 0;
        while (firstFree < before.length && before[firstFree] == firstFree) {
            firstFree++;
        }
        int lowest = Math.max(0, firstFree - LIKELY);
        for (int fd = firstFree + markers.length - 1; fd >= lowest && left > 0; fd--) {
            left -= look(fd, lines, fds);
        }
        if (left > 0) {
            for (int fd : openDescriptors()) {
                if ((fd < lowest || fd >= firstFree + markers.length) && left > 0) {
                    left -= look(fd, lines, fds);
                }
            }
        }
        for (int fd : fds) {
            if (fd == -1) {
                throw new SyscallException(Errno.EOPNOTSUPP); // the offset does not show there
            }
        }
        return fds;
    }

    /** Opens one file (a byte channel) for {@link #openNamed}. */
    @FunctionalInterface
    interface Opener {
        /**
         * Opens the file.
         *
         * @return its channel
         * @throws IOException as open(2)
         */
        SeekableByteChannel open() throws IOException;
    }

    /**
     * A file {@link #openNamed} opened, and {@code /proc/self/fd/N} for its descriptor (valid while
     * the channel is open; closing the channel closes it).
     *
     * @param channel the open file
     * @param anchor the name of its descriptor
     */
    record Named(SeekableByteChannel channel, Path anchor) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /**
     * Opens a file and names its descriptor the way {@link #open} names directories: the
     * descriptors listed just before the open, then the numbers the kernel most likely gave read
     * first, so that the cost stays a few reads however many descriptors the process has open
     * (every one is read only if another thread took or freed a number meanwhile). {@link #of}
     * names a channel opened earlier, and reads up to every descriptor.
     *
     * @param open opens the file; called once, with {@link #ANCHORING} held (it must not wait long)
     * @return the open file and its anchor, to close after the call
     * @throws SyscallException ESPIPE if what was opened has no offset (a FIFO, a socket), closed
     *     again; EOPNOTSUPP and EAGAIN as {@link #of}
     * @throws IOException as {@code open}
     */
    static Named openNamed(Opener open) throws IOException, SyscallException {
        long marker = MARKER_BASE + RANDOM.nextInt(MARKER_BASE);
        SeekableByteChannel channel = null;
        try {
            int fd;
            synchronized (ANCHORING) {
                int[] before = openDescriptors();
                channel = open.open();
                try {
                    channel.position(marker);
                } catch (IOException e) {
                    throw new SyscallException(Errno.ESPIPE.code(), e); // no offset to mark
                }
                fd = find(new long[] {marker}, before)[0];
            }
            channel.position(0);
            return new Named(channel, FD.resolve(Integer.toString(fd)));
        } catch (IOException | SyscallException | RuntimeException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /**
     * The number of an open channel's descriptor: its offset is set to a marker, every open
     * descriptor's is read until the marker is found, and the offset is set back. The caller makes
     * sure nothing else uses the channel's offset meanwhile. Reads the descriptors' files from
     * the highest number down (a handle opened lately is most likely there): one small file per
     * open descriptor at worst, once per handle, for its first call that java.nio makes only by path.
     *
     * @param channel the channel (seekable: a file or a directory)
     * @return {@code /proc/self/fd/N} for it
     * @throws SyscallException EOPNOTSUPP where the process cannot name it so (not seekable, no
     *     {@code /proc/self/fdinfo}); EAGAIN if the marker was found twice
     */
    static Path of(SeekableByteChannel channel) throws SyscallException {
        long marker = MARKER_BASE + RANDOM.nextInt(MARKER_BASE);
        byte[][] lines = {("pos:\t" + marker + "\n").getBytes(StandardCharsets.US_ASCII)};
        int[] fds = {-1};
        long position;
        try {
            position = channel.position();
            channel.position(marker);
        } catch (IOException e) {
            throw new SyscallException(Errno.EOPNOTSUPP.code(), e); // not seekable
        }
        try {
            int[] open = openDescriptors();
            for (int k = open.length - 1; k >= 0; k--) { // a handle opened lately is most likely among the highest
                if (look(open[k], lines, fds) == 1) {
                    break;
                }
            }
        } finally {
            try {
                channel.position(position);
            } catch (IOException e) {
                throw new SyscallException(Errno.EIO.code(), e); // it just took a position
            }
        }
        if (fds[0] == -1) {
            throw new SyscallException(Errno.EOPNOTSUPP); // the offset does not show there
        }
        return FD.resolve(Integer.toString(fds[0]));
    }

    /** The numbers of the process's open descriptors, ascending; EOPNOTSUPP without {@code /proc/self/fdinfo}. */
    private static int[] openDescriptors() throws SyscallException {
        String[] names = FDINFO_DIR.list();
        if (names == null) {
            throw new SyscallException(Errno.EOPNOTSUPP); // no /proc/self/fdinfo to read
        }
        int[] open = new int[names.length];
        try {
            for (int i = 0; i < names.length; i++) {
                open[i] = Integer.parseInt(names[i]);
            }
        } catch (NumberFormatException e) {
            throw new SyscallException(Errno.EOPNOTSUPP.code(), e); // not the kernel's fdinfo
        }
        Arrays.sort(open);
        return open;
    }

    /** Reads descriptor {@code fd}'s offset; records it where it is a marker; returns how many it matched (0 or 1). */
    private static int look(int fd, byte[][] lines, int[] fds) throws SyscallException {
        // the first line only ("pos:\t<offset>\n"), read into a small buffer: no size probe, no array per file
        ByteBuffer text = ByteBuffer.allocate(32);
        try (FileChannel info = FileChannel.open(FDINFO.resolve(Integer.toString(fd)))) {
            while (text.hasRemaining() && info.read(text) > 0) {
                // the kernel gives the whole text at once; loop for a short read all the same
            }
        } catch (IOException e) {
            return 0; // closed meanwhile (ENOENT at the open or at the read): not one of ours, which stay open
        }
        for (int i = 0; i < lines.length; i++) {
            if (startsWith(text.array(), text.position(), lines[i])) {
                if (fds[i] != -1) {
                    throw new SyscallException(Errno.EAGAIN); // two at one marker: not certain which
                }
                fds[i] = fd;
                return 1;
            }
        }
        return 0;
    }

    private static boolean startsWith(byte[] text, int length, byte[] prefix) {
        return length >= prefix.length && Arrays.equals(text, 0, prefix.length, prefix, 0, prefix.length);
    }

    /**
     * The path that names {@code name} in directory {@code i} through its descriptor.
     *
     * @param i which directory, as given to {@link #open}
     * @param name one component, or {@code .}
     * @return {@code /proc/self/fd/N/name}
     */
    Path at(int i, Path name) {
        return anchors[i].resolve(name);
    }

    @Override
    public void close() {
        for (SeekableByteChannel c : channels) {
            if (c != null) {
                try {
                    c.close();
                } catch (IOException e) {
                    // a read-only descriptor: nothing was written that a failed close could lose
                }
            }
        }
    }

    /**
     * A working directory's anchor ({@link DirectoryHandle#attachment}): one descriptor of it,
     * named {@code /proc/self/fd/N/.}, kept for as long as the directory is open, so that a path
     * relative to the directory is resolved by the kernel from that descriptor. A call in flight
     * holds it ({@link #acquire}/{@link #release}), so a close never frees the number under a call
     * (another file opened meanwhile could get it).
     *
     * <p>Thread-safe: {@link #users} and {@link #closed} are guarded by the monitor.
     */
    static final class Held implements AutoCloseable {
        private final ProcFdAnchors anchor;
        private final Path base;
        /** Calls between {@link #acquire} and {@link #release}. */
        private int users;
        /** Set by {@link #close}; the descriptor is closed when it is set and no call holds it. */
        private boolean closed;

        private Held(ProcFdAnchors anchor) {
            this.anchor = anchor;
            this.base = anchor.at(0, DirectoryHandle.DOT);
        }

        /**
         * Anchors a directory.
         *
         * @param dir its descriptor
         * @param key its key
         * @return the anchor
         * @throws SyscallException as {@link ProcFdAnchors#open}
         */
        static Held open(SecureDirectoryStream<Path> dir, Object key) throws SyscallException {
            try {
                return new Held(ProcFdAnchors.open(List.of(dir), List.of(key)));
            } catch (IOException | RuntimeException e) {
                throw ErrnoMapper.failure(e); // a directory closed meanwhile: EBADF
            }
        }

        /**
         * Holds the descriptor for one call.
         *
         * @return {@code /proc/self/fd/N/.}, to resolve the call's relative path against
         * @throws SyscallException EBADF once closed
         */
        synchronized Path acquire() throws SyscallException {
            if (closed) {
                throw new SyscallException(Errno.EBADF);
            }
            users++;
            return base;
        }

        /** Ends a call that {@link #acquire} began. */
        synchronized void release() {
            if (--users == 0 && closed) {
                anchor.close();
            }
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                if (users == 0) {
                    anchor.close();
                }
            }
        }
    }
}
