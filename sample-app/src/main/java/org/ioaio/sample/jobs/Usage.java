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
