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
import static org.ioaio.AioConstants.O_WRONLY;
import static org.ioaio.AioConstants.S_IFIFO;
import static org.ioaio.fs.FsTesting.skipUnless;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
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
import org.ioaio.FileStat;
import org.ioaio.IoUringMode;
import org.ioaio.TestEngines;
import org.ioaio.internal.Platform;
import org.ioaio.faults.FaultInjectingSyscalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paths as given: a {@code String} path keeps its trailing slash, its {@code //} and its {@code .}
 * all the way to the syscall. The real IO::AIO 4.8 (a perl script the test writes) and aio's String
 * forms run every request on {@code "file/"}, {@code "dir/"}, {@code "dlink/"} (a symlink to the
 * directory), {@code "flink/"}, {@code "dangling/"}, {@code "missing/"} and doubled-slash spellings,
 * each on its own copy of one small tree, and must report the same status, errno, file type or link
 * content, and leave the same names behind: on the engine, in a jail and through an ordinary working
 * directory, on every backend.
 */
@ExtendWith(EngineInvariants.class)
class PathsAsGivenCrossCheckTest {

    @TempDir
    Path dir;

    /** The names every request is tried on, relative to its tree. */
    private static final List<String> NAMES = List.of("file/", "dir/", "dlink/", "flink/", "dangling/", "missing/",
            "file//", "dir//", "./dir/", "dir/./", "dir//.//");

    /** A symbolic link's content that a {@code Path} would alter: stored and read back byte for byte. */
    private static final String ODD_TARGET = "a//b/./c/";

    /**
     * For each case "op name" (the tree is {@code $base/<index>}): prints "index status errno extra", where extra is
     * the file type of a stat, the content of a readlink, and "-" otherwise; then the names left in the tree.
     */
    private static final String SCRIPT = """
            use strict; use warnings; use IO::AIO; use Fcntl ':mode';
            $| = 1;
            my ($base, @cases) = @ARGV;
            sub line { print join(" ", @_), "\\n" }
            for my $i (0 .. $#cases) {
              my ($op, $name) = split / /, $cases[$i], 2;
              my $t = "$base/$i"; my $p = "$t/$name";
              my $extra = "-";
              my $st = sub { my $r = shift; line($i, $r < 0 ? (-1, $! + 0) : (0, 0), $extra) };
              my $val = sub { my $v = shift; if (defined $v) { $extra = $v if $op =~ /^(readlink|symlink-odd)$/; line($i, 0, 0, $extra) } else { line($i, -1, $! + 0, $extra) } };
              my $stat = sub { my $r = shift; $extra = ((stat _)[2] >> 12) if $r >= 0; $st->($r) };
              if    ($op eq "stat")      { aio_stat $p, $stat }
              elsif ($op eq "lstat")     { aio_lstat $p, $stat }
              elsif ($op eq "unlink")    { aio_unlink $p, $st }
              elsif ($op eq "rmdir")     { aio_rmdir $p, $st }
              elsif ($op eq "mkdir")     { aio_mkdir $p, 0755, $st }
              elsif ($op eq "open-rd")   { aio_open $p, IO::AIO::O_RDONLY, 0, sub { $val->($_[0] ? 1 : undef) } }
              elsif ($op eq "open-creat"){ aio_open $p, IO::AIO::O_WRONLY | IO::AIO::O_CREAT, 0644, sub { $val->($_[0] ? 1 : undef) } }
              elsif ($op eq "readlink")  { aio_readlink $p, $val }
              elsif ($op eq "truncate")  { aio_truncate $p, 0, $st }
              elsif ($op eq "chmod")     { aio_chmod $p, 0750, $st }
              elsif ($op eq "utime")     { aio_utime $p, 1000, 2000, $st }
              elsif ($op eq "symlink")   { aio_symlink "target", $p, $st }
              elsif ($op eq "mknod")     { aio_mknod $p, S_IFIFO | 0644, 0, $st }
              elsif ($op eq "link-to")   { aio_link "$t/file", $p, $st }
              elsif ($op eq "link-from") { aio_link $p, "$t/newlink", $st }
              elsif ($op eq "rename-from") { aio_rename $p, "$t/renamed", $st }
              elsif ($op eq "rename-to") { aio_rename "$t/file", $p, $st }
              elsif ($op eq "rename-dir-to") { aio_rename "$t/dir", $p, $st }
              elsif ($op eq "readdir")   { aio_readdir $p, sub { $val->($_[0] ? 1 : undef) } }
              elsif ($op eq "statvfs")   { aio_statvfs $p, sub { $val->($_[0] ? 1 : undef) } }
              elsif ($op eq "realpath")  { aio_realpath $p, sub { $val->(defined $_[0] ? 1 : undef) } }
              elsif ($op eq "symlink-odd") { aio_symlink $name, "$t/odd", sub { my $r = shift;
                                               if ($r < 0) { $st->($r) } else { aio_readlink "$t/odd", $val } } }
              else { die "op $op" }
              IO::AIO::flush;
            }
            """;

    /** A request on a tree: the engine (or jail view), the tree's directory, the name as the request gets it. */
    private interface Op extends BiFunction<AioEngine, String, AioFuture<?>> {}

    /** Every request, by the perl script's name; {@code t} is the tree's path prefix ("" in a jail). */
    private static Map<String, Op> ops(String t) {
        Map<String, Op> m = new LinkedHashMap<>();
        m.put("stat", (aio, p) -> aio.stat(p));
        m.put("lstat", (aio, p) -> aio.lstat(p));
        m.put("unlink", (aio, p) -> aio.unlink(p));
        m.put("rmdir", (aio, p) -> aio.rmdir(p));
        m.put("mkdir", (aio, p) -> aio.mkdir(p, 0755));
        m.put("open-rd", (aio, p) -> aio.open(p, O_RDONLY, 0));
        m.put("open-creat", (aio, p) -> aio.open(p, O_WRONLY | O_CREAT, 0644));
        m.put("readlink", (aio, p) -> aio.readlink(p));
        m.put("truncate", (aio, p) -> aio.truncate(p, 0));
        m.put("chmod", (aio, p) -> aio.chmod(p, 0750));
        m.put("utime", (aio, p) -> aio.utime(p, 1000.0, 2000.0));
        m.put("symlink", (aio, p) -> aio.symlink("target", p));
        m.put("mknod", (aio, p) -> aio.mknod(p, S_IFIFO | 0644, 0));
        m.put("link-to", (aio, p) -> aio.link(t + "file", p));
        m.put("link-from", (aio, p) -> aio.link(p, t + "newlink"));
        m.put("rename-from", (aio, p) -> aio.rename(p, t + "renamed"));
        m.put("rename-to", (aio, p) -> aio.rename(t + "file", p));
        m.put("rename-dir-to", (aio, p) -> aio.rename(t + "dir", p));
        m.put("readdir", (aio, p) -> aio.readdir(p));
        m.put("statvfs", (aio, p) -> aio.statvfs(p));
        m.put("realpath", (aio, p) -> aio.realpath(p));
        return m;
    }

    /** The cases, in the order both sides run them: "op name". */
    private static List<String> cases() {
        List<String> c = new ArrayList<>();
        for (String op : ops("").keySet()) {
            for (String name : NAMES) {
                c.add(op + " " + name);
            }
        }
        c.add("symlink-odd " + ODD_TARGET);
        c.add("symlink-odd x//");
        return c;
    }

    /** One small tree: a file, a directory, links to each, a dangling link. */
    private static void makeTree(Path t) throws Exception {
        Files.createDirectories(t.resolve("dir"));
        Files.writeString(t.resolve("file"), "x");
        Files.createSymbolicLink(t.resolve("dlink"), Path.of("dir"));
        Files.createSymbolicLink(t.resolve("flink"), Path.of("file"));
        Files.createSymbolicLink(t.resolve("dangling"), Path.of("missing"));
    }

    /**
     * A side: a backend, io_uring or not, a jail, an ordinary working directory ({@code wd}: names relative to it, as
     * IO::AIO's {@code [$wd, $name]}) or the engine with absolute paths, and for a jail whether the kernel resolves it.
     */
    private record Side(String name, AioBackend backend, boolean ring, boolean jail, boolean wd, boolean openat2) {
        /**
         * Whether a symlink's content reaches the kernel as given and FIFOs can be made: native, outside a jail or in
         * one the kernel resolves (a jail walked in Java creates names as the portable layer does).
         */
        boolean storesExactTargets() {
            return backend == AioBackend.NATIVE && (!jail || openat2);
        }

        AioEngine engine() {
            if (backend == AioBackend.NATIVE && !openat2) {
                return TestEngines.builderOn(new FaultInjectingSyscalls().failAlways("beneath", Errno.ENOSYS).wrap(Platform.nativeLayer().syscalls()))
                        .minParallel(2).build();
            }
            return AioEngine.builder().minParallel(2).backend(backend).ioUring(ring ? IoUringMode.AUTO : IoUringMode.OFF).build();
        }
    }

    private static List<Side> sides() {
        List<Side> s = new ArrayList<>(List.of(new Side("nio", AioBackend.NIO, false, false, false, false),
                new Side("nio jail", AioBackend.NIO, false, true, false, false),
                new Side("nio wd", AioBackend.NIO, false, false, true, false)));
        if (Platform.nativeLayer().available()) {
            s.add(new Side("native", AioBackend.NATIVE, false, false, false, true));
            s.add(new Side("native io_uring", AioBackend.NATIVE, true, false, false, true));
            s.add(new Side("native jail", AioBackend.NATIVE, false, true, false, true));
            s.add(new Side("native jail without openat2", AioBackend.NATIVE, false, true, false, false));
            s.add(new Side("native wd", AioBackend.NATIVE, false, false, true, true));
        }
        return s;
    }

    // Every request on a slashed or doubled-slash name answers as the real IO::AIO (the kernel) does, leaves the same
    // names, and a symlink's content is stored and read back byte for byte (the portable layer, which cannot store it,
    // refuses with ENOSYS instead of storing another target).
    @Test
    void trailingSlashesAndDoubledSlashesAnswerAsTheRealIoAio() throws Exception {
        FsTesting.Result probe = FsTesting.run(List.of("perl", "-MIO::AIO", "-e", "1"));
        skipUnless(probe.status() == 0, "perl with IO::AIO is not available (perl -MIO::AIO -e1: status " + probe.status() + ", " + probe.err() + ")");
        List<String> cases = cases();
        Path script = Files.writeString(Files.createDirectory(dir.resolve("script")).resolve("paths.pl"), SCRIPT);
        Path theirsBase = dir.resolve("perl");
        for (int i = 0; i < cases.size(); i++) {
            makeTree(theirsBase.resolve(Integer.toString(i)));
        }
        List<String> command = new ArrayList<>(List.of("perl", script.toString(), theirsBase.toString()));
        command.addAll(cases);
        FsTesting.Result r = FsTesting.run(command);
        assertThat(r.status()).as("perl: %s", r.err()).isZero();
        List<String> theirs = r.out().lines().map(l -> l.substring(l.indexOf(' ') + 1)).toList();
        assertThat(theirs).hasSameSizeAs(cases);
        List<List<String>> theirTrees = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            theirTrees.add(tree(theirsBase.resolve(Integer.toString(i))));
        }

        Path pristine = dir.resolve("pristine");
        makeTree(pristine);
        SoftAssertions soft = new SoftAssertions();
        for (Side side : sides()) {
            Path oursBase = dir.resolve("ours-" + side.name().replace(' ', '-'));
            try (AioEngine aio = side.engine()) {
                for (int i = 0; i < cases.size(); i++) {
                    Path t = oursBase.resolve(Integer.toString(i));
                    makeTree(t);
                    String c = cases.get(i);
                    String op = c.substring(0, c.indexOf(' '));
                    String name = c.substring(c.indexOf(' ') + 1);
                    String ours;
                    if (side.jail() || side.wd()) {
                        try (AioWorkingDirectory wd = side.jail() ? AioWorkingDirectory.jail(t) : AioWorkingDirectory.open(t)) {
                            ours = run(aio.in(wd), "", op, name);
                        }
                    } else {
                        ours = run(aio, t + "/", op, name);
                    }
                    String expected = theirs.get(i);
                    if (op.equals("symlink-odd") && !side.storesExactTargets()) {
                        expected = "-1 " + Errno.ENOSYS.code() + " -"; // a Path cannot hold that target: refused, not altered
                    }
                    if (op.equals("mknod") && !side.storesExactTargets() && ours.equals("-1 " + Errno.ENOSYS.code() + " -")) {
                        expected = ours; // the portable layer makes no FIFOs (README, backend table): it must make nothing
                        soft.assertThat(tree(t)).as("%s, %s: nothing made", side.name(), c).isEqualTo(tree(pristine));
                    }
                    soft.assertThat(ours).as("%s, %s: aio vs IO::AIO", side.name(), c).isEqualTo(expected);
                    if (!expected.startsWith("-1 " + Errno.ENOSYS.code())) {
                        soft.assertThat(tree(t)).as("%s, %s: the names left", side.name(), c).isEqualTo(theirTrees.get(i));
                    }
                }
            }
        }
        soft.assertAll();
    }

    /** Runs a case: "status errno extra", as the perl script prints it. */
    private static String run(AioEngine aio, String t, String op, String name) throws Exception {
        if (op.equals("symlink-odd")) {
            String status = outcome(aio, aio.symlink(name, t + "odd"));
            if (!status.startsWith("0 ")) {
                return status + " -";
            }
            AioFuture<String> content = aio.readlink(t + "odd");
            String s = outcome(aio, content);
            return s + " " + (s.startsWith("0 ") ? content.join() : "-");
        }
        AioFuture<?> f = ops(t).get(op).apply(aio, t + name);
        String s = outcome(aio, f);
        String extra = "-";
        if (s.startsWith("0 ")) {
            Object v = f.join();
            if (v instanceof FileStat st) {
                extra = Integer.toString(st.type() >>> 12);
            } else if (op.equals("readlink")) { // the content, as stored
                extra = (String) v;
            }
            if (v instanceof AioFile file) {
                file.close();
            }
        }
        return s + " " + extra;
    }

    /** "0 0" or "-1 errno" once the request is done. */
    private static String outcome(AioEngine aio, AioFuture<?> f) throws Exception {
        aio.flush();
        try {
            f.get(0, TimeUnit.SECONDS);
            return "0 0";
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof AioException a) {
                return "-1 " + a.errno();
            }
            throw new AssertionError(e);
        } catch (CompletionException e) {
            throw new AssertionError(e);
        }
    }

    /** Every name below {@code t} with its type (not followed), sorted. */
    private static List<String> tree(Path t) throws Exception {
        try (Stream<Path> all = Files.walk(t)) {
            return all.map(p -> t.relativize(p) + (Files.isSymbolicLink(p) ? "@" : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "/" : ""))
                    .sorted().toList();
        }
    }
}
