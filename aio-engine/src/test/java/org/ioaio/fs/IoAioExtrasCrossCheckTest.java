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
import static org.ioaio.AioConstants.FIEMAP_FLAG_SYNC;
import static org.ioaio.AioConstants.O_CREAT;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.AioConstants.O_RDWR;
import static org.ioaio.fs.FsTesting.await;
import static org.ioaio.fs.FsTesting.callback;
import static org.ioaio.fs.FsTesting.skipUnless;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.assertj.core.api.SoftAssertions;
import org.ioaio.AioBackend;
import org.ioaio.AioEngine;
import org.ioaio.AioFile;
import org.ioaio.AioFuture;
import org.ioaio.AioRequest;
import org.ioaio.EngineInvariants;
import org.ioaio.FiemapExtent;
import org.ioaio.RecordLock;
import org.ioaio.internal.Platform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real IO::AIO 4.8 (a perl script the test writes) and aio's native backend on the calls they
 * share: {@code aio_fiemap} (every extent, one, the count, bad flags), {@code aio_ioctl} with
 * {@code FIONREAD} and {@code FICLONE}, {@code aio_mlock}/{@code aio_mlockall}, and {@code
 * aio_fcntl} with {@code F_OFD_GETLK}/{@code F_OFD_SETLK}, contending with aio for one file's ranges
 * while the perl process runs: each sees the other's lock, and aio's waiting lock on perl's range
 * ends when cancelled and is granted once perl has gone.
 */
@ExtendWith(EngineInvariants.class)
class IoAioExtrasCrossCheckTest {

    @TempDir
    Path dir;

    private static final String SCRIPT = """
            use strict; use warnings; use IO::AIO;
            $| = 1;
            my ($sparse, $src, $dst, $lockfile) = @ARGV;
            sub line { print join(" ", @_), "\\n" }
            sub st { my ($key) = @_; sub { line($key, $_[0], $_[0] < 0 ? $! + 0 : 0) } }
            open my $fh, "<", $sparse or die "$sparse: $!";
            aio_fiemap $fh, 0, undef, IO::AIO::FIEMAP_FLAG_SYNC, undef, sub { line "fiemap-all", map { "@$_" } @{$_[0]} };
            IO::AIO::flush;
            aio_fiemap $fh, 0, undef, 0, 1, sub { line "fiemap-one", map { "@$_" } @{$_[0]} };
            IO::AIO::flush;
            aio_fiemap $fh, 0, undef, 0, 0, sub { line "fiemap-count", $_[0] };
            IO::AIO::flush;
            aio_fiemap $fh, 0, undef, 0x4000, undef, sub { line "fiemap-badflags", scalar(@_), $! + 0 };
            IO::AIO::flush;
            my ($r, $w) = IO::AIO::pipe2;
            syswrite $w, "hello";
            my $buf = pack("i", 0);
            aio_ioctl $r, 0x541B, $buf, sub { line "fionread", $_[0], unpack("i", $buf) };
            IO::AIO::flush;
            open my $s, "<", $src or die; open my $d, "+>", $dst or die;
            aio_ioctl $d, IO::AIO::FICLONE, fileno($s), st("ficlone");
            IO::AIO::flush;
            aio_mlockall 0, st("mlockall-0");
            IO::AIO::flush;
            my $data = "";
            IO::AIO::mmap $data, 16384, IO::AIO::PROT_READ, IO::AIO::MAP_SHARED, $fh or die "mmap: $!";
            aio_mlock $data, 0, undef, st("mlock");
            IO::AIO::flush;
            IO::AIO::munmap $data;
            open my $lf, "+<", $lockfile or die;
            my $q = pack("s s x4 q q l x4", 1, 0, 300, 10, 0);
            aio_fcntl $lf, IO::AIO::F_OFD_GETLK, $q, sub { my @f = unpack("s s x4 q q l x4", $q); line "getlk", $_[0], $f[0], $f[2], $f[3], $f[4] };
            IO::AIO::flush;
            aio_fcntl $lf, IO::AIO::F_OFD_SETLK, pack("s s x4 q q l x4", 1, 0, 300, 10, 0), st("setlk-held");
            IO::AIO::flush;
            aio_fcntl $lf, IO::AIO::F_OFD_SETLK, pack("s s x4 q q l x4", 1, 0, 100, 100, 0), st("locked");
            IO::AIO::flush;
            <STDIN>;
            line "bye";
            """;

    private Path sparse() throws Exception {
        Path p = dir.resolve("sparse");
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (int i = 0; i < 3; i++) {
                ch.write(ByteBuffer.wrap(new byte[4096]), i * (4096L + (1 << 20)));
            }
            ch.force(true);
        }
        return p;
    }

    private static String extents(List<FiemapExtent> list) {
        StringBuilder b = new StringBuilder();
        for (FiemapExtent e : list) {
            b.append(' ').append(e.logical()).append(' ').append(e.physical()).append(' ').append(e.length()).append(' ').append(e.flags());
        }
        return b.toString();
    }

    private static String status(FsTesting.Outcome<?> o) {
        return o.status() + " " + o.errno();
    }

    // Both sides answer each shared call the same (status, errno, values), and each sees the other's record lock.
    @Test
    void extrasAgreeWithIoAio() throws Exception {
        FsTesting.Result probe = FsTesting.run(List.of("perl", "-MIO::AIO", "-e", "1"));
        skipUnless(probe.status() == 0, "perl with IO::AIO is not available (perl -MIO::AIO -e1: status " + probe.status() + ", " + probe.err() + ")");
        skipUnless(Platform.nativeLayer().available(), "native layer not available: " + Platform.nativeLayer().reason());
        Path sparse = sparse();
        Path src = Files.writeString(dir.resolve("src"), "data");
        Path lockfile = Files.write(dir.resolve("lockfile"), new byte[1024]);
        Path script = Files.writeString(dir.resolve("x.pl"), SCRIPT);
        Map<String, String> ours = new LinkedHashMap<>();
        Map<String, String> theirs = new LinkedHashMap<>();
        try (AioEngine aio = AioEngine.builder().minParallel(2).backend(AioBackend.NATIVE).build();
                AioFile f = await(aio, aio.open(sparse, O_RDONLY, 0));
                AioFile lf = await(aio, aio.open(lockfile, O_RDWR, 0));
                AioFile s = await(aio, aio.open(src, O_RDONLY, 0));
                AioFile d = await(aio, aio.open(dir.resolve("dst-ours"), O_RDWR | O_CREAT, 0644));
                FileChannel ch = FileChannel.open(sparse, StandardOpenOption.READ)) {
            skipUnless(FsTesting.<Long>callback(aio, cb -> aio.fiemapCount(f, 0, null, 0, cb)).errno() == 0, "no FIEMAP on the temporary directory's file system");
            await(aio, aio.lock(lf, 300, 10, true, false)); // perl must see this one
            Process perl = new ProcessBuilder("perl", script.toString(), sparse.toString(), src.toString(),
                    dir.resolve("dst-theirs").toString(), lockfile.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(perl.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = out.readLine()) != null; ) {
                    int sp = l.indexOf(' ');
                    theirs.put(sp < 0 ? l : l.substring(0, sp), sp < 0 ? "" : l.substring(sp + 1).trim());
                    if (l.startsWith("locked")) {
                        break;
                    }
                }
                assertThat(theirs).as("perl's answers so far").containsKey("locked");

                ours.put("fiemap-all", extents(await(aio, aio.fiemap(f, 0, null, FIEMAP_FLAG_SYNC, null))).trim());
                ours.put("fiemap-one", extents(await(aio, aio.fiemap(f, 0, null, 0, 1))).trim());
                ours.put("fiemap-count", Long.toString(await(aio, aio.fiemapCount(f, 0, null, 0))));
                ours.put("fiemap-badflags", "0 " + FsTesting.<List<FiemapExtent>>callback(aio, cb -> aio.fiemap(f, 0, null, 0x4000, null, cb)).errno());
                AioFile[] pipe = aio.pipe(0);
                try (AioFile r = pipe[0]; AioFile w = pipe[1]) {
                    await(aio, aio.write(w, null, ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII))));
                    ByteBuffer count = ByteBuffer.allocateDirect(4).order(java.nio.ByteOrder.nativeOrder());
                    FsTesting.Outcome<Long> n = FsTesting.<Long>callback(aio, cb -> aio.ioctl(r, org.ioaio.AioConstants.FIONREAD, count, cb));
                    ours.put("fionread", n.status() + " " + count.getInt(0)); // aio_ioctl: ioctl's status, the count in the buffer
                    assertThat(await(aio, aio.fionread(r))).as("the typed helper").isEqualTo(count.getInt(0));
                }
                ours.put("ficlone", status(FsTesting.<Void>callback(aio, cb -> aio.ficlone(d, s, cb))));
                ours.put("mlockall-0", status(FsTesting.<Void>callback(aio, cb -> aio.mlockall(0, cb))));
                MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, 16384);
                ours.put("mlock", status(FsTesting.<Void>callback(aio, cb -> aio.mlock(map, 0, null, cb))));
                aio.munlock(map, 0, null);
                // The same questions about the other side's lock: perl asked about ours at 300+10, we ask about its 100+100.
                RecordLock held = await(aio, aio.getlk(lf, 100, 100, true, false));
                ours.put("getlk", "0 " + held.type() + " " + held.start() + " " + held.length() + " " + held.pid());
                ours.put("setlk-held", status(FsTesting.<Void>callback(aio, cb -> aio.lock(lf, 100, 100, true, false, cb))));
                ours.put("locked", theirs.get("locked"));

                // A waiting lock on perl's range: cancelled while perl holds it, then granted after perl is gone.
                AioFuture<Void> waiting = aio.lock(lf, 150, 10, true, true);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (waiting.request().state() != AioRequest.State.EXECUTE && System.nanoTime() - deadline < 0) {
                    LockSupport.parkNanos(1_000_000);
                }
                waiting.request().cancel();
                aio.flush();
                assertThat(waiting).isCompletedExceptionally();
                assertThat(org.assertj.core.api.Assertions.catchThrowable(waiting::join)).isInstanceOf(CancellationException.class);
                perl.getOutputStream().write('\n');
                perl.getOutputStream().close();
                assertThat(out.readLine()).isEqualTo("bye");
                assertThat(perl.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(await(aio, aio.lock(lf, 150, 10, true, true))).as("granted once perl is gone").isNull();
            } finally {
                perl.destroyForcibly().waitFor();
                perl.getErrorStream().close();
            }
        }
        SoftAssertions soft = new SoftAssertions();
        List<String> keys = new ArrayList<>(theirs.keySet());
        soft.assertThat(ours.keySet()).as("every call perl made").containsExactlyInAnyOrderElementsOf(keys);
        for (String k : keys) {
            String expected = theirs.get(k);
            if (k.equals("getlk")) {
                soft.assertThat(expected).as("perl sees aio's lock").isEqualTo("0 1 300 10 -1");
                soft.assertThat(ours.get(k)).as("aio sees perl's lock").isEqualTo("0 1 100 100 -1");
            } else {
                soft.assertThat(ours.get(k)).as(k).isEqualTo(expected);
            }
        }
        soft.assertAll();
    }
}
