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

package org.ioaio;

import java.nio.file.Path;
import java.util.List;

/**
 * The result of {@link AioEngine#scandir}: the entries of a directory split into the ones you can
 * recurse into and everything else (IO::AIO's {@code ($dirs, $nondirs)}). Names are relative to the
 * scanned directory: resolve them against it. Neither list has a defined order.
 *
 * @param dirs the real directories (never a symlink to one)
 * @param nondirs everything else: files, symlinks (to directories too, and dangling ones), FIFOs,
 *     sockets, devices, and entries that vanished while the directory was scanned
 */
public record DirScan(List<Path> dirs, List<Path> nondirs) {

    /**
     * An unmodifiable result.
     *
     * @param dirs the directories
     * @param nondirs everything else
     */
    public DirScan {
        dirs = List.copyOf(dirs);
        nondirs = List.copyOf(nondirs);
    }
}
