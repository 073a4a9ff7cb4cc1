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

import static org.assertj.core.api.Assertions.assertThat;
import static org.ioaio.AioConstants.READDIR_DENTS;
import static org.ioaio.AioConstants.READDIR_FOUND_UNKNOWN;
import static org.ioaio.tree.TreeTesting.assumeIoAio;
import static org.ioaio.tree.TreeTesting.await;
import static org.ioaio.tree.TreeTesting.failure;
import static org.ioaio.tree.TreeTesting.hex;
import static org.ioaio.tree.TreeTesting.mkfifo;
import static org.ioaio.tree.TreeTesting.nameHex;
import static org.ioaio.tree.TreeTesting.perlMake;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.ioaio.AioBackend;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.DirEntry;
import org.ioaio.DirListing;
import org.ioaio.DirScan;
import org.ioaio.EngineInvariants;
import org.ioaio.FileStat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * aio_readdir, aio_readdirx (every flag combination) and aio_scandir on one tree give what the real
 * IO::AIO 4.8 gives on the same tree: names (compared as bytes, in hex), order, types, inode
 * numbers, FOUND_UNKNOWN, the dirs/nondirs split, and the errno of each bad input. The tree has
 * files, directories, symlinks to both, dangling symlinks, symlink loops, a FIFO, a socket, and
 * names with spaces, newlines, dots and bytes that are not UTF-8.
 */
@ExtendWith(EngineInvariants.class)
class IoAioParityTest {

    /** Runs each request of the list it is given and prints one parseable line per request. */
    private static final String SCRIPT = """
            use strict; use warnings; use IO::AIO;
            $| = 1;
            my $root = shift;
            sub hx { unpack 'H*', $_[0] }
            for my $op (@ARGV) {
                my ($k, $h, $fl) = split /:/, $op;
                my $p = "$root/" . pack('H*', $h);
                if ($k eq 'rd') {
                    aio_readdir $p, sub {
                        my ($e) = @_;
                        print defined $e ? "rd:$h OK " . join(' ', map { hx($_) } @$e) . "\\n" : "rd:$h ERR " . ($! + 0) . "\\n";
                    };
                } elsif ($k eq 'rx') {
                    aio_readdirx $p, $fl, sub {
                        my ($e, $f) = @_;
                        if (!defined $e) { print "rx:$h:$fl ERR " . ($! + 0) . "\\n"; return }
                        print "rx:$h:$fl OK $f " . join(' ', map { ref $_ ? join(',', hx($_->[0]), $_->[1], $_->[2]) : hx($_) } @$e) . "\\n";
                    };
                } elsif ($k eq 'sd') {
                    aio_scandir $p, 0, sub {
                        if (!@_) { print "sd:$h ERR " . ($! + 0) . "\\n"; return }
                        my ($d, $n) = @_;
                        print "sd:$h OK D=" . join(',', sort map { hx($_) } @$d) . " N=" . join(',', sort map { hx($_) } @$n) . "\\n";
                    };
                }
                IO::AIO::flush;
            }
            """;

    /** Hex of the directories compared (relative to the tree; "." is the tree itself). */
    private static final List<String> DIRS = List.of(hex("."), hex("sub"), hex("sub/inner"), hex("empty"),
            hex("ldir"), hex("dir with space"), "fefd2d646972");

    /** Hex of paths every request must refuse, with the same errno as IO::AIO. */
    private static final List<String> BAD = List.of(hex("plain.txt"), hex("missing"), hex("loop1"), hex("dangling"),
            hex("fifo"), hex("sock"), hex("lfile"));

    @TempDir
    Path tmp;

    private Path tree;

    /** What perl printed, by request ("rd:HEX", "rx:HEX:FLAGS", "sd:HEX"). */
    private Map<String, String> perl;

    @BeforeEach
    void buildTree() throws IOException {
        assumeIoAio();
        tree = tmp.resolve("t");
        Files.createDirectories(tree.resolve("sub/inner/deeper"));
        for (String d : List.of(".hid", "x.d", "dir with space", "empty", "ab", "abcdefgh")) {
            Files.createDirectory(tree.resolve(d));
        }
        for (String f : List.of("plain.txt", "with space", "new\nline", ".hidden", "x", "f1.dat", "trailing.", "sub/a.txt",
                "sub/inner/b", "dir with space/c d")) {
            Files.writeString(tree.resolve(f), f);
        }
        Files.createSymbolicLink(tree.resolve("lfile"), Path.of("plain.txt"));
        Files.createSymbolicLink(tree.resolve("ldir"), Path.of("sub"));
        Files.createSymbolicLink(tree.resolve("dangling"), Path.of("nowhere"));
        Files.createSymbolicLink(tree.resolve("loop1"), Path.of("loop2"));
        Files.createSymbolicLink(tree.resolve("loop2"), Path.of("loop1"));
        Files.createSymbolicLink(tree.resolve("sub/up"), Path.of(".."));
        mkfifo(tree.resolve("fifo"));
        mkfifo(tree.resolve("sub/fifo2"));
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(tree.resolve("sock")));
        }
        // not UTF-8: "\xff\xfe" (file), "\xfe\xfd-dir" (directory) with "\xff" in it, "\xfclink" -> "\xff\xfe"
        perlMake(tree, "f:fffe", "d:fefd2d646972", "f:fefd2d6469722fff", "l:fc6c696e6b:fffe");

        List<String> ops = new ArrayList<>();
        for (String d : concat(DIRS, BAD)) {
            ops.add("rd:" + d);
            ops.add("sd:" + d);
            for (int flags = 0; flags <= 7; flags++) {
                ops.add("rx:" + d + ":" + flags);
            }
        }
        Path script = tmp.resolve("parity.pl");
        Files.writeString(script, SCRIPT);
        List<String> cmd = new ArrayList<>(List.of("perl", script.toString(), tree.toString()));
        cmd.addAll(ops);
        TreeTesting.Result r = TreeTesting.sh(cmd.toArray(String[]::new));
        perl = new HashMap<>();
        for (String line : r.text().split("\n")) {
            int sp = line.indexOf(' ');
            perl.put(line.substring(0, sp), line.substring(sp + 1));
        }
        assertThat(perl).as("perl answered every request").hasSize(ops.size());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The path under the tree whose bytes are {@code hexPath} (found by listing, since Java cannot spell every name). */
    private Path path(String hexPath) throws IOException {
        String rel = new String(java.util.HexFormat.of().parseHex(hexPath), StandardCharsets.ISO_8859_1);
        Path p = tree;
        for (String part : rel.split("/")) {
            String partHex = java.util.HexFormat.of().formatHex(part.getBytes(StandardCharsets.ISO_8859_1));
            Path found = null;
            if (part.equals(".")) {
                found = p.resolve(".");
            } else {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                    for (Path e : ds) {
                        if (nameHex(p, e.getFileName()).equals(partHex)) {
                            found = e;
                        }
                    }
                }
            }
            if (found == null) {
                return p.resolve(part); // a name that does not exist
            }
            p = found;
        }
        return p;
    }

    private static String hexNames(Path dir, List<Path> names) {
        return names.stream().map(n -> nameHex(dir, n)).collect(Collectors.joining(" "));
    }

    // Every name, order, type, inode and flag of aio_readdir / aio_readdirx, and the scandir split, as IO::AIO gives them.
    @ParameterizedTest
    @EnumSource(value = AioBackend.class, names = {"NIO", "AUTO"})
    void directoriesReadAsIoAioReadsThem(AioBackend backend) throws IOException {
        try (AioEngine aio = TreeTesting.engine(backend)) {
            for (String d : DIRS) {
                Path dir = path(d);
                List<Path> names = await(aio, aio.readdir(dir));
                assertThat(("OK " + hexNames(dir, names)).trim()).as("readdir %s", dir).isEqualTo(perl.get("rd:" + d).trim());

                for (int flags = 0; flags <= 7; flags++) {
                    DirListing l = await(aio, aio.readdirx(dir, flags));
                    String[] p = perl.get("rx:" + d + ":" + flags).split(" ", 3);
                    assertThat(p[0]).isEqualTo("OK");
                    String theirs = p.length > 2 ? p[2].trim() : "";
                    String ours;
                    if ((flags & READDIR_DENTS) != 0) {
                        ours = l.entries().stream().map(e -> nameHex(dir, e.name()) + "," + e.type() + "," + e.inode())
                                .collect(Collectors.joining(" "));
                    } else {
                        ours = hexNames(dir, l.names());
                    }
                    assertThat(ours).as("readdirx %s flags %d", dir, flags).isEqualTo(theirs);
                    if (flags != 0) {
                        // IO::AIO always reads types internally (and reports READDIR_DENTS); compare what we both know
                        assertThat(l.flags() & READDIR_FOUND_UNKNOWN).as("FOUND_UNKNOWN of %s", dir)
                                .isEqualTo(Integer.parseInt(p[1]) & READDIR_FOUND_UNKNOWN);
                        assertThat(l.flags() & ~READDIR_FOUND_UNKNOWN).isEqualTo(flags);
                    }
                }

                DirScan s = await(aio, aio.scandir(dir, 0));
                String ours = "D=" + s.dirs().stream().map(n -> nameHex(dir, n)).sorted().collect(Collectors.joining(","))
                        + " N=" + s.nondirs().stream().map(n -> nameHex(dir, n)).sorted().collect(Collectors.joining(","));
                assertThat("OK " + ours).as("scandir %s", dir).isEqualTo(perl.get("sd:" + d).trim());
            }
        }
    }

    // Bad input (a file, a missing name, a symlink loop, a dangling symlink, a FIFO, a socket, a symlink to a file) fails with IO::AIO's errno.
    @ParameterizedTest
    @EnumSource(value = AioBackend.class, names = {"NIO", "AUTO"})
    void badDirectoriesFailWithIoAiosErrno(AioBackend backend) throws IOException {
        try (AioEngine aio = TreeTesting.engine(backend)) {
            for (String d : BAD) {
                Path p = path(d);
                int rd = Integer.parseInt(perl.get("rd:" + d).replace("ERR ", "").trim());
                assertThat(failure(aio, aio.readdir(p)).errno()).as("readdir %s", p).isEqualTo(rd);
                int rx = Integer.parseInt(perl.get("rx:" + d + ":1").replace("ERR ", "").trim());
                assertThat(failure(aio, aio.readdirx(p, READDIR_DENTS)).errno()).as("readdirx %s", p).isEqualTo(rx);
                int sd = Integer.parseInt(perl.get("sd:" + d).replace("ERR ", "").trim());
                AioException e = failure(aio, aio.scandir(p, 0));
                assertThat(e.errno()).as("scandir %s", p).isEqualTo(sd);
                assertThat(e.path()).isEqualTo(p.toString());
            }
        }
    }

    // Every name read from a directory, non-UTF-8 ones included, finds its file again: lstat gives the inode IO::AIO reported for those bytes.
    @ParameterizedTest
    @EnumSource(value = AioBackend.class, names = {"NIO", "AUTO"})
    void namesRoundTripByteForByte(AioBackend backend) throws IOException {
        try (AioEngine aio = TreeTesting.engine(backend)) {
            for (String d : DIRS) {
                Path dir = path(d);
                Map<String, Long> inodes = new HashMap<>();
                String[] p = perl.get("rx:" + d + ":1").split(" ", 3);
                if (p.length > 2 && !p[2].isBlank()) {
                    for (String e : p[2].trim().split(" ")) {
                        String[] f = e.split(",");
                        inodes.put(f[0], Long.parseLong(f[2]));
                    }
                }
                for (Path name : await(aio, aio.readdir(dir))) {
                    assertThat(name.getNameCount()).isEqualTo(1);
                    FileStat st = await(aio, aio.lstat(dir.resolve(name)));
                    assertThat(st.ino()).as("inode of %s", nameHex(dir, name)).isEqualTo(inodes.get(nameHex(dir, name)));
                }
                for (DirEntry e : await(aio, aio.readdirx(dir, READDIR_DENTS)).entries()) {
                    assertThat(await(aio, aio.lstat(dir.resolve(e.name()))).ino()).isEqualTo(e.inode());
                }
            }
            assertThat(inodeCount(aio)).as("the non-UTF-8 names are there").isGreaterThanOrEqualTo(3);
        }
    }

    private long inodeCount(AioEngine aio) {
        return await(aio, aio.readdir(tree)).stream().filter(n -> !nameHex(tree, n).equals(hex(n.toString()))).count();
    }
}
