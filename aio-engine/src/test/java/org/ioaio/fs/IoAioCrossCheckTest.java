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

package org.ioaio.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.AioConstants.SEEK_CUR;
import static org.ioaio.fs.FsTesting.callback;
import static org.ioaio.fs.FsTesting.skipUnless;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ioaio.AioEngine;
import org.ioaio.AioFile;
import org.ioaio.EngineInvariants;
import org.ioaio.FileStat;
import org.ioaio.fs.FsTesting.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same requests through the real IO::AIO 4.8 (a perl script the test writes) and through aio, on
 * the same files: the status, errno and value each reports must be the same.
 */
@ExtendWith(EngineInvariants.class)
class IoAioCrossCheckTest {

    @TempDir
    Path dir;

    /** Prints one line per request: key, status, errno, value (stat fields, a link, or the bytes in hex; "-" for none). */
    private static final String SCRIPT = """
            use strict; use warnings; use IO::AIO;
            $| = 1;
            my ($file, $dir, $size, @named) = @ARGV;
            sub line { print join(" ", @_), "\\n" }
            sub st {
                my ($key, $status) = @_;
                if ($status < 0) { line($key, -1, $! + 0, "-"); return }
                my @s = stat _;
                my @ns = IO::AIO::st_xtimensec;
                line($key, 0, 0, join(",", @s[0 .. 11], @ns[0 .. 2]));
            }
            sub val { my ($key, $v) = @_; defined $v ? line($key, 0, 0, $v) : line($key, -1, $! + 0, "-") }
            sub buf { my ($key, $r, $data) = @_; $r < 0 ? line($key, -1, $! + 0, "-") : line($key, $r, 0, length $data ? unpack("H*", $data) : "-") }
            while (my ($name, $path) = splice @named, 0, 2) {
                aio_stat $path, sub { st("stat:$name", $_[0]) }; IO::AIO::flush;
                aio_lstat $path, sub { st("lstat:$name", $_[0]) }; IO::AIO::flush;
            }
            @named = @ARGV[3 .. $#ARGV];
            while (my ($name, $path) = splice @named, 0, 2) {
                aio_readlink $path, sub { val("readlink:$name", $_[0]) }; IO::AIO::flush;
                aio_realpath $path, sub { val("realpath:$name", $_[0]) }; IO::AIO::flush;
            }
            open my $fh, "<", $file or die "$file: $!";
            my $b = "";
            aio_read $fh, 3, 5, $b, 0, sub { buf("read:3:5", $_[0], $b) }; IO::AIO::flush;
            aio_read $fh, $size - 2, 100, $b, 0, sub { buf("read:tail", $_[0], $b) }; IO::AIO::flush;
            aio_read $fh, $size, 10, $b, 0, sub { buf("read:eof", $_[0], $b) }; IO::AIO::flush;
            aio_read $fh, undef, 4, $b, 0, sub { buf("read:pos", $_[0], $b) }; IO::AIO::flush;
            aio_read $fh, undef, 4, $b, 0, sub { buf("read:pos2", $_[0], $b) }; IO::AIO::flush;
            line("seek:cur", sysseek($fh, 0, 1) + 0, 0, "-");
            open my $dh, "<", $dir or die "$dir: $!";
            aio_read $dh, 0, 10, $b, 0, sub { buf("read:dir", $_[0], $b) }; IO::AIO::flush;
            my $s = "";
            aio_slurp $file, -5, 0, $s, sub { buf("slurp:-5", $_[0], $s) }; IO::AIO::flush;
            aio_slurp $file, 1, 6, $s, sub { buf("slurp:1:6", $_[0], $s) }; IO::AIO::flush;
            aio_load $file, $s, sub { buf("load", $_[0], $s) }; IO::AIO::flush;
            aio_load "$dir/missing", $s, sub { buf("load:missing", $_[0], $s) }; IO::AIO::flush;
            aio_statvfs $dir, sub { my $v = shift; $v ? line("statvfs", 0, 0, "$v->{bsize},$v->{blocks}") : line("statvfs", -1, $! + 0, "-") };
            IO::AIO::flush;
            """;

    // aio_stat/aio_lstat ("stat _" and st_xtimensec), aio_readlink, aio_realpath, aio_read (at an offset, at the
    // position, at the end, on a directory), aio_slurp, aio_load and aio_statvfs report what the real IO::AIO does.
    @Test
    void resultsMatchTheRealIoAio() throws Exception {
        FsTesting.Result probe = FsTesting.run(List.of("perl", "-MIO::AIO", "-e", "1"));
        skipUnless(probe.status() == 0, "perl with IO::AIO is not available (perl -MIO::AIO -e1: status " + probe.status() + ", " + probe.err() + ")");
        Path scriptDir = Files.createDirectory(dir.resolve("script"));
        Path script = Files.writeString(scriptDir.resolve("crosscheck.pl"), SCRIPT);
        Path work = Files.createDirectory(dir.resolve("work"));
        byte[] content = new byte[3000];
        new Random(11).nextBytes(content);
        Path file = Files.write(work.resolve("file"), content);
        Path sub = Files.createDirectory(work.resolve("sub"));
        Path link = Files.createSymbolicLink(work.resolve("link"), Path.of("file"));
        Path dangling = Files.createSymbolicLink(work.resolve("dangling"), Path.of("nothing"));
        Path loop = Files.createSymbolicLink(work.resolve("loop1"), Path.of("loop2"));
        Files.createSymbolicLink(work.resolve("loop2"), Path.of("loop1"));
        Path missing = work.resolve("missing");
        Path under = file.resolve("x");
        // atimes in the future: relatime then never updates them when perl or aio reads or follows a link
        FileTime future = FileTime.from(Instant.ofEpochSecond(2_000_000_000L, 123_456_789));
        for (Path p : List.of(file, sub, link, dangling, loop, work.resolve("loop2"), work)) {
            Files.setAttribute(p, "lastAccessTime", future, LinkOption.NOFOLLOW_LINKS);
        }
        Map<String, Path> named = new LinkedHashMap<>();
        named.put("file", file);
        named.put("dir", sub);
        named.put("link", link);
        named.put("dangling", dangling);
        named.put("loop", loop);
        named.put("missing", missing);
        named.put("under", under);

        Map<String, String> ours = new LinkedHashMap<>();
        try (AioEngine aio = FsTesting.engine()) {
            for (Map.Entry<String, Path> e : named.entrySet()) {
                ours.put("stat:" + e.getKey(), statLine(callback(aio, cb -> aio.stat(e.getValue(), cb))));
                ours.put("lstat:" + e.getKey(), statLine(callback(aio, cb -> aio.lstat(e.getValue(), cb))));
            }
            Map<String, String> theirs = runPerl(script, file, sub, content.length, named);
            for (Map.Entry<String, Path> e : named.entrySet()) {
                ours.put("readlink:" + e.getKey(), valueLine(callback(aio, cb -> aio.readlink(e.getValue(), cb))));
                ours.put("realpath:" + e.getKey(), valueLine(callback(aio, cb -> aio.realpath(e.getValue(), cb))));
            }
            try (AioFile f = FsTesting.await(aio, aio.open(file, O_RDONLY, 0)); AioFile d = FsTesting.await(aio, aio.open(sub, O_RDONLY, 0))) {
                ours.put("read:3:5", readLine(aio, f, 3L, 5));
                ours.put("read:tail", readLine(aio, f, (long) content.length - 2, 100));
                ours.put("read:eof", readLine(aio, f, (long) content.length, 10));
                ours.put("read:pos", readLine(aio, f, null, 4));
                ours.put("read:pos2", readLine(aio, f, null, 4));
                ours.put("seek:cur", FsTesting.await(aio, aio.seek(f, 0, SEEK_CUR)) + " 0 -");
                ours.put("read:dir", readLine(aio, d, 0L, 10));
            }
            ours.put("slurp:-5", bufferLine(callback(aio, cb -> aio.slurp(file, -5, 0, cb))));
            ours.put("slurp:1:6", bufferLine(callback(aio, cb -> aio.slurp(file, 1, 6, cb))));
            Outcome<byte[]> load = callback(aio, cb -> aio.load(file, cb));
            ours.put("load", load.status() + " " + load.errno() + " " + hex(load.value()));
            Outcome<byte[]> loadMissing = callback(aio, cb -> aio.load(work.resolve("missing"), cb));
            ours.put("load:missing", loadMissing.status() + " " + loadMissing.errno() + " " + hex(loadMissing.value()));
            Outcome<org.ioaio.StatVfs> vfs = callback(aio, cb -> aio.statvfs(sub, cb));
            ours.put("statvfs", vfs.status() + " " + vfs.errno() + " " + (vfs.value() == null ? "-" : vfs.value().bsize() + "," + vfs.value().blocks()));

            assertThat(theirs.keySet()).as("requests perl reported").containsExactlyInAnyOrderElementsOf(ours.keySet());
            for (String key : ours.keySet()) {
                assertThat(ours.get(key)).as("%s: aio vs IO::AIO", key).isEqualTo(theirs.get(key));
            }
        }
    }

    private static Map<String, String> runPerl(Path script, Path file, Path dir, long size, Map<String, Path> named) throws Exception {
        List<String> command = new ArrayList<>(List.of("perl", script.toString(), file.toString(), dir.toString(), String.valueOf(size)));
        for (Map.Entry<String, Path> e : named.entrySet()) {
            command.add(e.getKey());
            command.add(e.getValue().toString());
        }
        FsTesting.Result r = FsTesting.run(command);
        assertThat(r.status()).as("perl: %s", r.err()).isZero();
        Map<String, String> lines = new LinkedHashMap<>();
        for (String line : r.out().split("\n")) {
            int space = line.indexOf(' ');
            lines.put(line.substring(0, space), line.substring(space + 1));
        }
        return lines;
    }

    /** "status errno value" of a stat, with the fields of perl's "stat _" (minus blocks) and st_xtimensec. */
    private static String statLine(Outcome<FileStat> o) {
        if (o.errno() != 0) {
            return o.status() + " " + o.errno() + " -";
        }
        FileStat s = o.value();
        List<Object> fields = List.of(s.dev(), s.ino(), Integer.toUnsignedLong(s.mode()), s.nlink(), Integer.toUnsignedLong(s.uid()),
                Integer.toUnsignedLong(s.gid()), s.rdev(), s.size(), s.atimeSec(), s.mtimeSec(), s.ctimeSec(), s.blksize(),
                s.atimeNsec(), s.mtimeNsec(), s.ctimeNsec());
        StringBuilder sb = new StringBuilder();
        for (Object f : fields) {
            sb.append(sb.length() == 0 ? "" : ",").append(f);
        }
        return o.status() + " " + o.errno() + " " + sb;
    }

    private static String valueLine(Outcome<Path> o) {
        return o.status() + " " + o.errno() + " " + (o.value() == null ? "-" : o.value().toString());
    }

    private static String bufferLine(Outcome<ByteBuffer> o) {
        if (o.value() == null) {
            return o.status() + " " + o.errno() + " -";
        }
        byte[] b = new byte[o.value().remaining()];
        o.value().get(b);
        return o.status() + " " + o.errno() + " " + hex(b);
    }

    private static String readLine(AioEngine aio, AioFile f, Long offset, int length) {
        byte[] data = new byte[length];
        Outcome<Integer> o = callback(aio, cb -> aio.read(f, offset, length, data, 0, cb));
        if (o.errno() != 0) {
            return o.status() + " " + o.errno() + " -";
        }
        return o.status() + " 0 " + hex(java.util.Arrays.copyOf(data, o.value()));
    }

    private static String hex(byte[] b) {
        return b == null || b.length == 0 ? "-" : HexFormat.of().formatHex(b);
    }
}
