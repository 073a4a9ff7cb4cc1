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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.ioaio.DirEntry;
import org.ioaio.Errno;
import org.ioaio.internal.sys.NioSyscalls;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ioaio.internal.Platform;

/** The walk's bound on held directories, and what it does when a directory it closed was swapped meanwhile. */
class WalkTest {

    @TempDir
    Path tmp;

    static Stream<Syscalls> layers() {
        List<Syscalls> l = new ArrayList<>(List.of(new NioSyscalls()));
        if (Platform.nativeLayer().available()) {
            l.add(Platform.nativeLayer().syscalls());
        } else {
            System.out.println("SKIPPED (native layer): " + Platform.nativeLayer().reason());
        }
        return l.stream();
    }

    private static int openFds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        }
    }

    /** A chain a/a/a/... {@code depth} deep under {@code root}; the nodes, top first. */
    private static List<Walk.Node> chain(Walk w, Walk.Node top, int depth) {
        List<Walk.Node> nodes = new ArrayList<>(List.of(top));
        for (int i = 0; i < depth; i++) {
            nodes.add(w.child(nodes.get(i), Path.of("a")));
        }
        return nodes;
    }

    // Bounded descriptors: however deep the walk goes, at most MAX_OPEN directories stay open between uses; an evicted one is opened again by name.
    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void heldDirectoriesAreBounded(Syscalls sys) throws Exception {
        Files.createDirectories(tmp.resolve("t/a/a/a/a/a/a/a/a/a/a/a/a"));
        Path root = tmp.resolve("t");
        int base = openFds();
        try (Walk w = new Walk(sys)) {
            Walk.Node top = w.root(root, false);
            List<Walk.Node> nodes = chain(w, top, 12);
            for (Walk.Node n : nodes) {
                w.with(n, d -> sys.readdirAt(d, false));
            }
            // the portable layer's streams hold two descriptors each
            assertThat(openFds() - base).isLessThanOrEqualTo(2 * Walk.MAX_OPEN);
            for (int i = nodes.size() - 1; i >= 0; i--) {
                List<DirEntry> entries = w.with(nodes.get(i), d -> sys.readdirAt(d, false));
                assertThat(entries).hasSize(i == 12 ? 0 : 1);
            }
            assertThat(openFds() - base).isLessThanOrEqualTo(2 * Walk.MAX_OPEN);
            w.close(top);
        }
        assertThat(openFds()).isEqualTo(base);
    }

    // A directory closed by the bound and then moved away and replaced, by another directory (ESTALE) or by a symlink (ENOTDIR), is not entered when opened again.
    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void aSwapIsDetectedOnReopen(Syscalls sys) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("t"));
        for (int i = 0; i < 8; i++) {
            Files.createDirectories(root.resolve("d" + i + "/inner"));
        }
        Path outside = Files.createDirectories(tmp.resolve("outside/inner"));
        try (Walk w = new Walk(sys)) {
            Walk.Node top = w.root(root, false);
            List<Walk.Node> nodes = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Walk.Node n = w.child(top, Path.of("d" + i));
                nodes.add(n);
                w.with(n, d -> sys.readdirAt(d, false)); // opened, then idle
            }
            // d0 and d1 were the least recently used: closed by the bound
            Files.move(root.resolve("d0"), tmp.resolve("away0"));
            Files.createDirectories(root.resolve("d0/inner"));
            Files.move(root.resolve("d1"), tmp.resolve("away1"));
            Files.createSymbolicLink(root.resolve("d1"), outside.getParent());
            SyscallException replaced = catchThrowableOfType(SyscallException.class, () -> w.with(nodes.get(0), d -> sys.readdirAt(d, false)));
            assertThat(replaced.errno()).isEqualTo(Errno.ESTALE.code());
            SyscallException link = catchThrowableOfType(SyscallException.class, () -> w.with(nodes.get(1), d -> sys.readdirAt(d, false)));
            assertThat(link.errno()).isEqualTo(Errno.ENOTDIR.code());
            // one still held (the most recent) is the directory it was, wherever it is now
            Files.move(root.resolve("d7"), tmp.resolve("away7"));
            Files.createSymbolicLink(root.resolve("d7"), outside.getParent());
            List<DirEntry> held = w.with(nodes.get(7), d -> sys.readdirAt(d, false));
            assertThat(held).extracting(e -> e.name().toString()).containsExactly("inner");
            w.close(top);
        }
    }
}
