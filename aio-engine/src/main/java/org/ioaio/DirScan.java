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
