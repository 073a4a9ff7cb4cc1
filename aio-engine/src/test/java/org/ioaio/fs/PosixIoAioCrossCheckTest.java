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
import static org.ioaio.AioConstants.O_CREAT;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.AioConstants.O_RDWR;
import static org.ioaio.AioConstants.O_WRONLY;
import static org.ioaio.AioConstants.RENAME_NOREPLACE;
import static org.ioaio.AioConstants.SYNC_FILE_RANGE_WRITE;
import static org.ioaio.AioConstants.S_IFREG;
import static org.ioaio.fs.FsTesting.await;
import static org.ioaio.fs.FsTesting.sh;
import static org.ioaio.fs.FsTesting.skipUnless;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.ioaio.AioBackend;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.AioFile;
import org.ioaio.AioFuture;
import org.ioaio.AioWorkingDirectory;
import org.ioaio.EngineInvariants;
import org.ioaio.Errno;
import org.ioaio.TestEngines;
import org.ioaio.internal.Platform;
import org.ioaio.faults.FaultInjectingSyscalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real IO::AIO 4.8 (a perl script the test writes) and aio, on every backend, on the same
 * trees: working-directory {@code "."} and {@code ".."} ({@code [$wd, "."]}), truncate of FIFOs and
 * devices, and {@code sync_file_range} with bad numbers must report the same status and errno, and
 * leave the same names behind.
 */
@ExtendWith(EngineInvariants.class)
class PosixIoAioCrossCheckTest {

    @TempDir
    Path dir;

    /**
     * Each case runs in its own directory {@code base/case}, on a working directory {@code base/case/w}
     * ({@code rmdir-wd-removed} removes it first); prints "case status errno". Then the FIFO and sync cases.
     */
    private static final String SCRIPT = """
            use strict; use warnings; use IO::AIO;
            $| = 1;
            my ($base, $fifoAlone, $fifoRead, $file) = @ARGV;
            sub line { print join(" ", @_), "\\n" }
            sub st { my ($key) = @_; sub { my $r = shift; line($key, $r < 0 ? (-1, $! + 0) : (0, 0)) } }
            sub ok { my $cb = shift; sub { $cb->(defined $_[0] ? 0 : -1) } }
            sub wd { my $w; aio_wd "$base/$_[0]/w", sub { $w = shift }; IO::AIO::flush; die "wd $_[0]: $!" unless $w; $w }
            my %ops = (
              "rmdir-dot"             => sub { aio_rmdir [wd("rmdir-dot"), "."], $_[0] },
              "rmdir-dot-nonempty"    => sub { aio_rmdir [wd("rmdir-dot-nonempty"), "."], $_[0] },
              "rmdir-dotdot"          => sub { aio_rmdir [wd("rmdir-dotdot"), ".."], $_[0] },
              "rmdir-wd-removed"      => sub { my $w = wd("rmdir-wd-removed"); rmdir "$base/rmdir-wd-removed/w" or die; aio_rmdir [$w, "."], $_[0] },
              "rename-dot"            => sub { aio_rename [wd("rename-dot"), "."], "$base/rename-dot/renamed", $_[0] },
              "rename-dot-rel"        => sub { my $w = wd("rename-dot-rel"); aio_rename [$w, "."], [$w, "../moved"], $_[0] },
              "rename-to-dot"         => sub { aio_rename "$base/rename-to-dot/other", [wd("rename-to-dot"), "."], $_[0] },
              "rename2-dot-taken"     => sub { aio_rename2 [wd("rename2-dot-taken"), "."], "$base/rename2-dot-taken/taken", IO::AIO::RENAME_NOREPLACE, $_[0] },
              "rename2-dot-free"      => sub { aio_rename2 [wd("rename2-dot-free"), "."], "$base/rename2-dot-free/free", IO::AIO::RENAME_NOREPLACE, $_[0] },
              "rename-dotdot"         => sub { aio_rename [wd("rename-dotdot"), ".."], "$base/rename-dotdot/x", $_[0] },
              "unlink-dot"            => sub { aio_unlink [wd("unlink-dot"), "."], $_[0] },
              "unlink-dotdot"         => sub { aio_unlink [wd("unlink-dotdot"), ".."], $_[0] },
              "mkdir-dot"             => sub { aio_mkdir [wd("mkdir-dot"), "."], 0755, $_[0] },
              "mkdir-dotdot"          => sub { aio_mkdir [wd("mkdir-dotdot"), ".."], 0755, $_[0] },
              "stat-dot"              => sub { aio_stat [wd("stat-dot"), "."], $_[0] },
              "lstat-dotdot"          => sub { aio_lstat [wd("lstat-dotdot"), ".."], $_[0] },
              "open-dot-ro"           => sub { aio_open [wd("open-dot-ro"), "."], IO::AIO::O_RDONLY, 0, ok($_[0]) },
              "open-dot-wr"           => sub { aio_open [wd("open-dot-wr"), "."], IO::AIO::O_WRONLY, 0, ok($_[0]) },
              "open-dot-creat"        => sub { aio_open [wd("open-dot-creat"), "."], IO::AIO::O_WRONLY | IO::AIO::O_CREAT, 0644, ok($_[0]) },
              "truncate-dot"          => sub { aio_truncate [wd("truncate-dot"), "."], 0, $_[0] },
              "chmod-dot"             => sub { aio_chmod [wd("chmod-dot"), "."], 0700, $_[0] },
              "utime-dot"             => sub { aio_utime [wd("utime-dot"), "."], 1000, 2000, $_[0] },
              "chown-dot"             => sub { aio_chown [wd("chown-dot"), "."], 0, 0, $_[0] },
              "readlink-dot"          => sub { aio_readlink [wd("readlink-dot"), "."], ok($_[0]) },
              "symlink-dot"           => sub { aio_symlink "x", [wd("symlink-dot"), "."], $_[0] },
              "link-dot"              => sub { my $w = wd("link-dot"); aio_link [$w, "f"], [$w, "."], $_[0] },
              "mknod-dot"             => sub { aio_mknod [wd("mknod-dot"), "."], IO::AIO::S_IFREG | 0644, 0, $_[0] },
            );
            for my $key (sort keys %ops) { $ops{$key}->(st($key)); IO::AIO::flush; }
            aio_truncate $fifoAlone, 0, st("truncate-fifo-alone"); IO::AIO::flush;
            aio_truncate $fifoRead, 0, st("truncate-fifo-read"); IO::AIO::flush;
            aio_truncate "/dev/null", 0, st("truncate-devnull"); IO::AIO::flush;
            open my $fh, "+<", $file or die "$file: $!";
            aio_sync_file_range $fh, -1, 0, 0, st("sfr-offset"); IO::AIO::flush;
            aio_sync_file_range $fh, 0, -1, 0, st("sfr-nbytes"); IO::AIO::flush;
            aio_sync_file_range $fh, 10, -5, 0, st("sfr-backwards"); IO::AIO::flush;
            aio_sync_file_range $fh, 0, 0, 0x80, st("sfr-flags"); IO::AIO::flush;
            aio_sync_file_range $fh, 0, 0, IO::AIO::SYNC_FILE_RANGE_WRITE, st("sfr-ok"); IO::AIO::flush;
            """;

    /** A request of a case, on the engine viewed through the case's working directory. */
    private record Op(BiFunction<AioEngine, Path, AioFuture<?>> submit) {}

    /** The working-directory cases, by name (the perl script's keys), given the view and the case's directory. */
    private static Map<String, Op> wdCases() {
        Map<String, Op> m = new LinkedHashMap<>();
        Path dot = Path.of(".");
        Path dotdot = Path.of("..");
        m.put("rmdir-dot", new Op((in, c) -> in.rmdir(dot)));
        m.put("rmdir-dot-nonempty", new Op((in, c) -> in.rmdir(dot)));
        m.put("rmdir-dotdot", new Op((in, c) -> in.rmdir(dotdot)));
        m.put("rmdir-wd-removed", new Op((in, c) -> in.rmdir(dot)));
        m.put("rename-dot", new Op((in, c) -> in.rename(dot, c.resolve("renamed"))));
        m.put("rename-dot-rel", new Op((in, c) -> in.rename(dot, Path.of("../moved"))));
        m.put("rename-to-dot", new Op((in, c) -> in.rename(c.resolve("other"), dot)));
        m.put("rename2-dot-taken", new Op((in, c) -> in.rename2(dot, c.resolve("taken"), RENAME_NOREPLACE)));
        m.put("rename2-dot-free", new Op((in, c) -> in.rename2(dot, c.resolve("free"), RENAME_NOREPLACE)));
        m.put("rename-dotdot", new Op((in, c) -> in.rename(dotdot, c.resolve("x"))));
        m.put("unlink-dot", new Op((in, c) -> in.unlink(dot)));
        m.put("unlink-dotdot", new Op((in, c) -> in.unlink(dotdot)));
        m.put("mkdir-dot", new Op((in, c) -> in.mkdir(dot, 0755)));
        m.put("mkdir-dotdot", new Op((in, c) -> in.mkdir(dotdot, 0755)));
        m.put("stat-dot", new Op((in, c) -> in.stat(dot)));
        m.put("lstat-dotdot", new Op((in, c) -> in.lstat(dotdot)));
        m.put("open-dot-ro", new Op((in, c) -> in.open(dot, O_RDONLY, 0)));
        m.put("open-dot-wr", new Op((in, c) -> in.open(dot, O_WRONLY, 0)));
        m.put("open-dot-creat", new Op((in, c) -> in.open(dot, O_WRONLY | O_CREAT, 0644)));
        m.put("truncate-dot", new Op((in, c) -> in.truncate(dot, 0)));
        m.put("chmod-dot", new Op((in, c) -> in.chmod(dot, 0700)));
        m.put("utime-dot", new Op((in, c) -> in.utime(dot, 1000.0, 2000.0)));
        m.put("chown-dot", new Op((in, c) -> in.chown(dot, 0, 0)));
        m.put("readlink-dot", new Op((in, c) -> in.readlink(dot)));
        m.put("symlink-dot", new Op((in, c) -> in.symlink(Path.of("x"), dot)));
        m.put("link-dot", new Op((in, c) -> in.link(Path.of("f"), dot)));
        m.put("mknod-dot", new Op((in, c) -> in.mknod(dot, S_IFREG | 0644, 0)));
        return m;
    }

    /**
     * The cases a jail answers as IO::AIO's working directory does; the others differ by design: {@code ".."} leaves
     * the jail (EXDEV), as does an absolute path, and rmdir/rename of {@code "."} keep the kernel's answer (the jail's
     * name is outside it).
     */
    private static final Set<String> JAIL_ALIKE = Set.of("unlink-dot", "mkdir-dot", "stat-dot", "open-dot-ro",
            "open-dot-wr", "open-dot-creat", "truncate-dot", "chmod-dot", "utime-dot", "chown-dot", "readlink-dot", "symlink-dot",
            "link-dot", "mknod-dot");

    /** The trees every side starts from: one directory per case, with a working directory "w" in it. */
    private static void makeTree(Path base) throws Exception {
        for (String c : wdCases().keySet()) {
            Files.createDirectories(base.resolve(c).resolve("w"));
        }
        Files.writeString(base.resolve("rmdir-dot-nonempty/w/f"), "x");
        Files.writeString(base.resolve("link-dot/w/f"), "x");
        Files.createDirectory(base.resolve("rename-to-dot/other"));
        Files.createDirectory(base.resolve("rename2-dot-taken/taken"));
    }

    /** A backend, and for a jail whether it may use openat2. */
    private record Kind(String name, AioBackend backend, boolean openat2) {
        AioEngine engine() {
            if (backend == AioBackend.NATIVE && !openat2) {
                return TestEngines.builderOn(new FaultInjectingSyscalls().failAlways("beneath", Errno.ENOSYS).wrap(Platform.nativeLayer().syscalls()))
                        .minParallel(2).build();
            }
            return AioEngine.builder().minParallel(2).backend(backend).build();
        }
    }

    private static List<Kind> kinds() {
        List<Kind> k = new ArrayList<>(List.of(new Kind("nio", AioBackend.NIO, true)));
        if (Platform.nativeLayer().available()) {
            k.add(new Kind("native", AioBackend.NATIVE, true));
            k.add(new Kind("native without openat2", AioBackend.NATIVE, false));
        }
        return k;
    }

    // [$wd, "."] and [$wd, ".."] (rmdir and rename of "." act on the working directory itself), truncate of FIFOs and
    // devices, and sync_file_range with bad numbers: aio reports what the real IO::AIO reports, on every backend.
    @Test
    void posixAnswersMatchTheRealIoAio() throws Exception {
        FsTesting.Result probe = FsTesting.run(List.of("perl", "-MIO::AIO", "-e", "1"));
        skipUnless(probe.status() == 0, "perl with IO::AIO is not available (perl -MIO::AIO -e1: status " + probe.status() + ", " + probe.err() + ")");
        Path script = Files.writeString(Files.createDirectory(dir.resolve("script")).resolve("posix.pl"), SCRIPT);
        Path fifoAlone = dir.resolve("fifo-alone");
        Path fifoRead = dir.resolve("fifo-read");
        sh("mkfifo", fifoAlone.toString(), fifoRead.toString());
        Path file = Files.writeString(dir.resolve("file"), "0123456789abcdef");
        Path theirsBase = dir.resolve("perl");
        makeTree(theirsBase);

        // a reader (and writer) held on fifo-read while both sides truncate it: open(O_RDWR) never blocks
        SoftAssertions soft = new SoftAssertions();
        try (FileChannel reader = FileChannel.open(fifoRead, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            assertThat(reader.isOpen()).isTrue();
            FsTesting.Result r = FsTesting.run(List.of("perl", script.toString(), theirsBase.toString(), fifoAlone.toString(),
                    fifoRead.toString(), file.toString()));
            assertThat(r.status()).as("perl: %s", r.err()).isZero();
            Map<String, String> theirs = new LinkedHashMap<>();
            for (String line : r.out().split("\n")) {
                int space = line.indexOf(' ');
                theirs.put(line.substring(0, space), line.substring(space + 1));
            }
            List<String> theirTree = tree(theirsBase);

            for (Kind kind : kinds()) {
                for (boolean jail : kind.openat2() ? List.of(false, true) : List.of(true)) {
                    String side = kind.name() + (jail ? ", jail" : ", wd");
                    Path oursBase = dir.resolve("ours-" + kind.name().replace(' ', '-') + (jail ? "-jail" : "-wd"));
                    makeTree(oursBase);
                    Map<String, String> ours = new LinkedHashMap<>();
                    try (AioEngine aio = kind.engine()) {
                        for (Map.Entry<String, Op> e : wdCases().entrySet()) {
                            if (jail && !JAIL_ALIKE.contains(e.getKey())) {
                                continue;
                            }
                            Path c = oursBase.resolve(e.getKey());
                            try (AioWorkingDirectory wd = jail ? AioWorkingDirectory.jail(c.resolve("w")) : AioWorkingDirectory.open(c.resolve("w"))) {
                                if (e.getKey().equals("rmdir-wd-removed")) {
                                    Files.delete(c.resolve("w"));
                                }
                                ours.put(e.getKey(), line(aio, e.getValue().submit().apply(aio.in(wd), c), fifoAlone));
                            }
                        }
                        if (!jail) {
                            ours.put("truncate-fifo-alone", line(aio, aio.truncate(fifoAlone, 0), fifoAlone));
                            ours.put("truncate-fifo-read", line(aio, aio.truncate(fifoRead, 0), fifoAlone));
                            ours.put("truncate-devnull", line(aio, aio.truncate(Path.of("/dev/null"), 0), fifoAlone));
                            try (AioFile f = await(aio, aio.open(file, O_RDWR, 0))) {
                                ours.put("sfr-offset", line(aio, aio.syncFileRange(f, -1, 0, 0), fifoAlone));
                                ours.put("sfr-nbytes", line(aio, aio.syncFileRange(f, 0, -1, 0), fifoAlone));
                                ours.put("sfr-backwards", line(aio, aio.syncFileRange(f, 10, -5, 0), fifoAlone));
                                ours.put("sfr-flags", line(aio, aio.syncFileRange(f, 0, 0, 0x80), fifoAlone));
                                ours.put("sfr-ok", line(aio, aio.syncFileRange(f, 0, 0, SYNC_FILE_RANGE_WRITE), fifoAlone));
                            }
                        }
                    }
                    for (Map.Entry<String, String> e : ours.entrySet()) {
                        String expected = theirs.get(e.getKey());
                        if (e.getKey().equals("truncate-fifo-alone")) {
                            // IO::AIO 4.8 truncates by open(O_WRONLY|O_NONBLOCK) + ftruncate: a FIFO without a reader is
                            // ENXIO there; the manual says "works like truncate(2)", whose answer (EINVAL) aio gives
                            soft.assertThat(expected).as("IO::AIO, %s", e.getKey()).isIn(failure(Errno.ENXIO), failure(Errno.EINVAL));
                            expected = failure(Errno.EINVAL);
                        }
                        soft.assertThat(e.getValue()).as("%s, %s: aio vs IO::AIO", side, e.getKey()).isEqualTo(expected);
                    }
                    if (!jail) {
                        soft.assertThat(ours.keySet()).as("%s: every request perl made", side).containsExactlyInAnyOrderElementsOf(theirs.keySet());
                        soft.assertThat(tree(oursBase)).as("%s: the names left", side).isEqualTo(theirTree);
                    }
                }
            }
        }
        soft.assertAll();
    }

    private static String failure(Errno e) {
        return "-1 " + e.code();
    }

    /** "status errno" of a request: "0 0", or "-1 errno" (a file or working directory it yielded is closed). */
    private static String line(AioEngine aio, AioFuture<?> f, Path fifo) throws Exception {
        int errno = PosixAnswersTest.errnoWithoutHanging(aio, f, fifo);
        if (errno == 0) {
            try {
                if (f.join() instanceof AioFile file) {
                    file.close();
                }
            } catch (CompletionException | AioException e) {
                throw new AssertionError(e);
            }
            return "0 0";
        }
        return "-1 " + errno;
    }

    /** Every path below {@code base}, relative and sorted. */
    private static List<String> tree(Path base) throws Exception {
        try (Stream<Path> all = Files.walk(base)) {
            return all.map(p -> base.relativize(p).toString()).sorted().toList();
        }
    }
}
