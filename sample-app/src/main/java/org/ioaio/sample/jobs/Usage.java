package org.ioaio.sample.jobs;

import java.util.concurrent.atomic.AtomicLong;
import org.ioaio.FileStat;

/**
 * What a du found under a path.
 *
 * @param path the path, relative to the data directory ({@code ""} for the data directory)
 * @param files non-directories (regular files, symbolic links, anything else), each counted once per name
 * @param directories directories, the top one included
 * @param bytes the sum of the non-directories' sizes ({@code st_size}), as {@code du --apparent-size -b}
 * @param allocatedBytes the sum of their allocated blocks ({@code st_blocks * 512}; an estimate on the portable backend)
 */
public record Usage(String path, long files, long directories, long bytes, long allocatedBytes) {

    /** Sums a walk's entries; the visitor runs on the poller thread, the totals are read anywhere. */
    static final class Counter implements TreeWalk.Visitor {

        final AtomicLong files = new AtomicLong();
        final AtomicLong directories = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong allocated = new AtomicLong();

        @Override
        public void directory(java.nio.file.Path rel) {
            directories.incrementAndGet();
        }

        @Override
        public void file(java.nio.file.Path rel, FileStat stat) {
            files.incrementAndGet();
            bytes.addAndGet(stat.size());
            allocated.addAndGet(stat.blocks() * 512);
        }

        Usage usage(String path) {
            return new Usage(path, files.get(), directories.get(), bytes.get(), allocated.get());
        }
    }
}
