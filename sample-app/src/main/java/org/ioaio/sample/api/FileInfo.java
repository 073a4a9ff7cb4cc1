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

package org.ioaio.sample.api;

import java.util.List;
import org.ioaio.AioConstants;
import org.ioaio.FileStat;

/** The JSON shapes of files and directories. */
public final class FileInfo {

    private FileInfo() {
    }

    /**
     * One entry of a listing ({@code lstat}: a symbolic link is shown as one).
     *
     * @param name the name
     * @param path the path relative to the data directory
     * @param type file, directory, symlink, fifo, socket, char-device, block-device or unknown
     * @param size bytes ({@code st_size})
     * @param mode permission bits in octal ({@code 0644})
     * @param modified the modification time (ISO-8601, nanoseconds)
     */
    public record Entry(String name, String path, String type, long size, String mode, String modified) {

        static Entry of(String name, String path, FileStat st) {
            return new Entry(name, path, typeOf(st), st.size(), modeOf(st), st.mtime().toString());
        }
    }

    /**
     * A directory listing, or one page of it.
     *
     * @param path the directory, relative to the data directory ({@code ""} for the data directory)
     * @param entries its entries (directories first, unless sorted otherwise), from {@code offset}
     * @param total how many entries the directory has (the listing's length without paging)
     * @param offset the index of the first entry shown
     */
    public record Listing(String path, List<Entry> entries, int total, int offset) {
    }

    /**
     * A file's metadata ({@code stat}: symbolic links followed, inside the data directory only).
     *
     * @param path the path relative to the data directory
     * @param type file, directory, fifo, socket, char-device, block-device or unknown
     * @param size bytes
     * @param mode permission bits in octal
     * @param uid owner
     * @param gid group
     * @param nlink hard links
     * @param inode inode number
     * @param device device number of the file system
     * @param blocks 512-byte blocks allocated
     * @param blockSize preferred I/O size
     * @param modified modification time
     * @param accessed access time
     * @param changed status change time
     */
    public record Metadata(String path, String type, long size, String mode, long uid, long gid, long nlink, long inode,
            long device, long blocks, long blockSize, String modified, String accessed, String changed) {

        static Metadata of(String path, FileStat st) {
            return new Metadata(path, typeOf(st), st.size(), modeOf(st), Integer.toUnsignedLong(st.uid()),
                    Integer.toUnsignedLong(st.gid()), st.nlink(), st.ino(), st.dev(), st.blocks(), st.blksize(),
                    st.mtime().toString(), st.atime().toString(), st.ctime().toString());
        }
    }

    static String typeOf(FileStat st) {
        int t = st.type();
        if (t == AioConstants.S_IFREG) {
            return "file";
        } else if (t == AioConstants.S_IFDIR) {
            return "directory";
        } else if (t == AioConstants.S_IFLNK) {
            return "symlink";
        } else if (t == AioConstants.S_IFIFO) {
            return "fifo";
        } else if (t == AioConstants.S_IFSOCK) {
            return "socket";
        } else if (t == AioConstants.S_IFCHR) {
            return "char-device";
        } else if (t == AioConstants.S_IFBLK) {
            return "block-device";
        }
        return "unknown";
    }

    static String modeOf(FileStat st) {
        return String.format("%04o", st.permissions());
    }
}
