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
