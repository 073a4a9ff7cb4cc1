package org.ioaio.tree;

import java.nio.file.Path;
import org.ioaio.AioBackend;
import org.ioaio.AioEngine;
import org.ioaio.DirScan;

/**
 * Run by {@link ScandirSearchableTest} in a child JVM as an unprivileged user (root can search
 * every directory): scans the directory given on each backend named and prints {@code
 * backend=dirs/nondirs}, names sorted and comma-separated, or {@code backend=errno N}.
 */
public final class ScandirProbe {

    private ScandirProbe() {}

    /**
     * Scans.
     *
     * @param args the directory, then backend names ({@code NIO}, {@code NATIVE})
     */
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        for (int i = 1; i < args.length; i++) {
            try (AioEngine aio = AioEngine.builder().minParallel(2).backend(AioBackend.valueOf(args[i])).build()) {
                var f = aio.scandir(dir, 0);
                aio.flush();
                try {
                    DirScan s = f.join();
                    System.out.println(args[i] + "=" + sorted(s.dirs()) + "/" + sorted(s.nondirs()));
                } catch (RuntimeException e) {
                    System.out.println(args[i] + "=error " + e);
                }
            }
        }
    }

    private static String sorted(java.util.List<Path> l) {
        return String.join(",", l.stream().map(Path::toString).sorted().toList());
    }
}
