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

package org.ioaio.internal.tree;

import static org.ioaio.AioConstants.DT_DIR;
import static org.ioaio.AioConstants.DT_UNKNOWN;
import static org.ioaio.AioConstants.READDIR_DENTS;
import static org.ioaio.AioConstants.READDIR_DIRS_FIRST;
import static org.ioaio.AioConstants.READDIR_FOUND_UNKNOWN;
import static org.ioaio.AioConstants.READDIR_STAT_ORDER;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.ioaio.DirEntry;
import org.ioaio.DirListing;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;

/**
 * {@code aio_readdirx}: reads a directory and puts its entries in the order the flags ask for, as
 * libeio's {@code eio__scandir} does.
 *
 * <ul>
 *   <li>Each entry gets a score: 7, unless {@code READDIR_DIRS_FIRST} is set; then 0 for a known
 *       directory, 7 for any other known type, and for an unknown type a guess: 1 for a name
 *       starting with a dot, 2 to 6 for a name without dots (shorter names are likelier
 *       directories), 7 for the rest.
 *   <li>{@code READDIR_STAT_ORDER}: sorted by score, then inode number.
 *   <li>{@code READDIR_DIRS_FIRST} alone: with an unknown type among the entries, sorted by score
 *       and inode; with every type known, the directories are moved to the front (walking from
 *       both ends and swapping, which is the order the non-directories are left in) and only
 *       they are sorted, by inode.
 *   <li>No ordering flag: the directory's own order.
 * </ul>
 *
 * The sort here is stable where libeio's is not; the two differ only for entries with the same
 * score and inode (hard links to one file in one directory, or unknown inodes).
 */
final class DirOrder {

    /** Every flag readdirx accepts. */
    static final int KNOWN_FLAGS = READDIR_DENTS | READDIR_DIRS_FIRST | READDIR_STAT_ORDER | READDIR_FOUND_UNKNOWN;

    private DirOrder() {}

    /**
     * Reads {@code dir} and orders it for {@code flags} (worker thread).
     *
     * @param s the syscall layer
     * @param dir the directory
     * @param flags readdirx flags
     * @return the listing, with {@code READDIR_FOUND_UNKNOWN} set when an entry's type is unknown
     * @throws SyscallException as readdir
     */
    static DirListing readdirx(Syscalls s, Path dir, int flags) throws SyscallException {
        List<DirEntry> entries;
        if ((flags & (READDIR_DENTS | READDIR_DIRS_FIRST | READDIR_STAT_ORDER)) != 0) {
            entries = new ArrayList<>(s.readdirDents(dir));
        } else {
            List<Path> names = s.readdir(dir);
            entries = new ArrayList<>(names.size());
            for (Path n : names) {
                entries.add(new DirEntry(n, DT_UNKNOWN, 0));
            }
        }
        int out = flags & ~READDIR_FOUND_UNKNOWN;
        for (DirEntry e : entries) {
            if (e.type() == DT_UNKNOWN) {
                out |= READDIR_FOUND_UNKNOWN;
                break;
            }
        }
        order(entries, out);
        return new DirListing(entries, out);
    }

    /**
     * Orders {@code entries} in place for {@code flags} (which carry {@code READDIR_FOUND_UNKNOWN}
     * when a type is unknown).
     *
     * @param entries the entries, in directory order
     * @param flags the readdirx flags
     */
    static void order(List<DirEntry> entries, int flags) {
        boolean dirsFirst = (flags & READDIR_DIRS_FIRST) != 0;
        if ((flags & READDIR_STAT_ORDER) != 0
                || (dirsFirst && (flags & READDIR_FOUND_UNKNOWN) != 0)) {
            sortByScoreAndInode(entries, dirsFirst);
        } else if (dirsFirst) {
            int lo = 0;
            int hi = entries.size();
            while (hi > lo) {
                if (entries.get(lo).type() == DT_DIR) {
                    lo++;
                } else {
                    hi--;
                    if (entries.get(hi).type() == DT_DIR) {
                        DirEntry t = entries.get(lo);
                        entries.set(lo, entries.get(hi));
                        entries.set(hi, t);
                        lo++;
                    }
                }
            }
            entries.subList(0, lo).sort(Comparator.comparingLong(e -> e.inode()));
        }
    }

    /** Sorts by score, then inode; each entry's score is computed once (it decodes the name). */
    private static void sortByScoreAndInode(List<DirEntry> entries, boolean dirsFirst) {
        int n = entries.size();
        if (n < 2) {
            return;
        }
        Scored[] scored = new Scored[n];
        for (int i = 0; i < n; i++) {
            DirEntry e = entries.get(i);
            scored[i] = new Scored(score(e, dirsFirst), e);
        }
        Arrays.sort(scored, (a, b) -> {
            int c = Integer.compare(a.score, b.score);
            return c != 0 ? c : Long.compareUnsigned(a.entry.inode(), b.entry.inode());
        });
        for (int i = 0; i < n; i++) {
            entries.set(i, scored[i].entry);
        }
    }

    /** An entry with its score, for sorting. */
    private record Scored(int score, DirEntry entry) {}

    /**
     * How likely an entry is a directory, 0 (certainly) to 7 (unlikely); 7 for every entry without
     * {@code READDIR_DIRS_FIRST}.
     *
     * @param e the entry
     * @param dirsFirst whether {@code READDIR_DIRS_FIRST} is set
     * @return the score
     */
    static int score(DirEntry e, boolean dirsFirst) {
        if (!dirsFirst) {
            return 7;
        }
        if (e.type() == DT_DIR) {
            return 0;
        }
        if (e.type() != DT_UNKNOWN) {
            return 7;
        }
        String name = e.name().toString();
        if (name.startsWith(".")) {
            return 1; // leading dots are likely directories, and rare anyway
        }
        if (name.indexOf('.') < 0) {
            // no dot: likely a directory, the shorter the likelier. The length is the name's bytes
            // plus its NUL, as in C; a name that is not valid UTF-8 is measured by its decoded form.
            int len = name.getBytes(StandardCharsets.UTF_8).length + 1;
            return len <= 2 ? 4 - len : len <= 4 ? 4 : len <= 7 ? 5 : 6;
        }
        return 7;
    }

    /**
     * Names in the order {@code READDIR_DIRS_FIRST} gives them when no type is known (what
     * scandir stats first).
     *
     * @param names the names, in directory order
     * @return the names, likely directories first
     */
    static List<Path> likelyDirsFirst(List<Path> names) {
        List<DirEntry> entries = new ArrayList<>(names.size());
        for (Path n : names) {
            entries.add(new DirEntry(n, DT_UNKNOWN, 0));
        }
        sortByScoreAndInode(entries, true);
        List<Path> out = new ArrayList<>(entries.size());
        for (DirEntry e : entries) {
            out.add(e.name());
        }
        return out;
    }
}
