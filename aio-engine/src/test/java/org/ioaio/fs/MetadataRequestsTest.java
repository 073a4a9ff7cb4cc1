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
import static org.ioaio.AioConstants.FALLOC_FL_KEEP_SIZE;
import static org.ioaio.AioConstants.FALLOC_FL_PUNCH_HOLE;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.AioConstants.O_RDWR;
import static org.ioaio.AioConstants.O_WRONLY;
import static org.ioaio.AioConstants.SEEK_CUR;
import static org.ioaio.AioConstants.SEEK_SET;
import static org.ioaio.fs.FsTesting.assertFails;
import static org.ioaio.fs.FsTesting.await;
import static org.ioaio.fs.FsTesting.callback;
import static org.ioaio.fs.FsTesting.ok;
import static org.ioaio.fs.FsTesting.sh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.ioaio.AioConstants;
import org.ioaio.AioEngine;
import org.ioaio.AioFile;
import org.ioaio.EngineInvariants;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.ioaio.StatVfs;
import org.ioaio.fs.FsTesting.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** aio_stat, aio_lstat, aio_statvfs, aio_utime, aio_chown, aio_chmod, aio_truncate and aio_allocate, cross-checked with stat(1) and ls(1). */
@ExtendWith(EngineInvariants.class)
class MetadataRequestsTest {

    @TempDir
    Path dir;

    /** Asserts {@code s} is what {@code stat(1)} prints for {@code p} (with -L when {@code follow}). */
    static void assertMatchesStatCommand(FileStat s, Path p, boolean follow) throws Exception {
        String format = "%d %i %f %h %u %g %s %.9X %.9Y %.9Z %t %T";
        String[] f = (follow ? sh("stat", "-L", "-c", format, p.toString()) : sh("stat", "-c", format, p.toString())).split(" ");
        assertThat(s.dev()).as("dev").isEqualTo(Long.parseLong(f[0]));
        assertThat(s.ino()).as("ino").isEqualTo(Long.parseLong(f[1]));
        assertThat(Integer.toHexString(s.mode())).as("mode").isEqualTo(f[2]);
        assertThat(s.nlink()).as("nlink").isEqualTo(Long.parseLong(f[3]));
        assertThat(Integer.toUnsignedLong(s.uid())).as("uid").isEqualTo(Long.parseLong(f[4]));
        assertThat(Integer.toUnsignedLong(s.gid())).as("gid").isEqualTo(Long.parseLong(f[5]));
        assertThat(s.size()).as("size").isEqualTo(Long.parseLong(f[6]));
        assertThat(s.atimeSec() + "." + nine(s.atimeNsec())).as("atime").isEqualTo(f[7]);
        assertThat(s.mtimeSec() + "." + nine(s.mtimeNsec())).as("mtime").isEqualTo(f[8]);
        assertThat(s.ctimeSec() + "." + nine(s.ctimeNsec())).as("ctime").isEqualTo(f[9]);
        assertThat(AioConstants.major(s.rdev())).as("rdev major").isEqualTo(Integer.parseInt(f[10], 16));
        assertThat(AioConstants.minor(s.rdev())).as("rdev minor").isEqualTo(Integer.parseInt(f[11], 16));
    }

    private static String nine(int nanos) {
        return String.format("%09d", nanos);
    }

    // ---------------------------------------------------------------- stat / lstat

    // aio_stat "works almost exactly like perl's stat": every field, times to the nanosecond, as stat(1) shows them.
    @Test
    void statOfFileDirectoryAndOpenFileMatchesStatCommand() throws Exception {
        Path p = Files.writeString(dir.resolve("regular"), "some content");
        try (AioEngine aio = FsTesting.engine()) {
            Outcome<FileStat> o = callback(aio, cb -> aio.stat(p, cb));
            assertThat(o.status()).isZero();
            FileStat s = ok(o);
            assertThat(s.isRegularFile()).isTrue();
            assertMatchesStatCommand(s, p, false);
            FileStat d = await(aio, aio.stat(dir));
            assertThat(d.isDirectory()).isTrue();
            assertMatchesStatCommand(d, dir, false);
            try (AioFile f = await(aio, aio.open(p, O_RDONLY, 0))) {
                FileStat fs = ok(callback(aio, cb -> aio.stat(f, cb)));
                assertMatchesStatCommand(fs, p, false);
                assertThat(await(aio, aio.stat(f))).isEqualTo(fs);
            }
            FileStat dev = await(aio, aio.stat(Path.of("/dev/null")));
            assertThat(dev.isCharacterDevice()).isTrue();
            assertMatchesStatCommand(dev, Path.of("/dev/null"), false);
        }
    }

    // aio_stat follows a symlink, aio_lstat reports the link itself (its size is the length of its target).
    @Test
    void statFollowsSymlinksLstatDoesNot() throws Exception {
        Path target = Files.writeString(dir.resolve("target"), "12345");
        Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("target"));
        try (AioEngine aio = FsTesting.engine()) {
            FileStat followed = await(aio, aio.stat(link));
            assertThat(followed.isRegularFile()).isTrue();
            assertMatchesStatCommand(followed, link, true);
            assertThat(followed.ino()).isEqualTo(await(aio, aio.stat(target)).ino());
            Outcome<FileStat> o = callback(aio, cb -> aio.lstat(link, cb));
            FileStat l = ok(o);
            assertThat(l.isSymbolicLink()).isTrue();
            assertThat(l.size()).isEqualTo("target".length());
            assertMatchesStatCommand(l, link, false);
            assertThat(await(aio, aio.lstat(target))).isEqualTo(await(aio, aio.stat(target)));
        }
    }

    // aio_stat / aio_lstat errors, as stat(2): ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG.
    @Test
    void statErrorsInBothForms() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        Path missing = dir.resolve("missing");
        Path under = file.resolve("x");
        Path loop = dir.resolve("loop1");
        Files.createSymbolicLink(loop, Path.of("loop2"));
        Files.createSymbolicLink(dir.resolve("loop2"), Path.of("loop1"));
        Path longName = dir.resolve("n".repeat(256));
        try (AioEngine aio = FsTesting.engine()) {
            assertFails(aio, Errno.ENOENT, "stat", missing, () -> aio.stat(missing), cb -> aio.stat(missing, cb));
            assertFails(aio, Errno.ENOENT, "lstat", missing, () -> aio.lstat(missing), cb -> aio.lstat(missing, cb));
            assertFails(aio, Errno.ENOTDIR, "stat", under, () -> aio.stat(under), cb -> aio.stat(under, cb));
            assertFails(aio, Errno.ENOTDIR, "lstat", under, () -> aio.lstat(under), cb -> aio.lstat(under, cb));
            assertFails(aio, Errno.ELOOP, "stat", loop, () -> aio.stat(loop), cb -> aio.stat(loop, cb));
            assertThat(await(aio, aio.lstat(loop)).isSymbolicLink()).as("lstat does not follow the loop").isTrue();
            assertFails(aio, Errno.ENAMETOOLONG, "stat", longName, () -> aio.stat(longName), cb -> aio.stat(longName, cb));
            assertFails(aio, Errno.ENAMETOOLONG, "lstat", longName, () -> aio.lstat(longName), cb -> aio.lstat(longName, cb));
        }
    }

    // ---------------------------------------------------------------- statvfs

    // aio_statvfs "works like the POSIX statvfs or fstatvfs": block size and block count as stat -f reports them.
    @Test
    void statvfsOfPathAndFileMatchesStatCommand() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "x");
        String[] f = sh("stat", "-f", "-c", "%s %b", dir.toString()).split(" ");
        try (AioEngine aio = FsTesting.engine()) {
            Outcome<StatVfs> o = callback(aio, cb -> aio.statvfs(dir, cb));
            StatVfs v = ok(o);
            assertThat(o.status()).isZero();
            assertThat(v.bsize()).as("bsize").isEqualTo(Long.parseLong(f[0]));
            assertThat(v.blocks()).as("blocks").isEqualTo(Long.parseLong(f[1]));
            assertThat(v.bavail()).isBetween(0L, v.blocks());
            assertThat(v.bfree()).isBetween(v.bavail(), v.blocks());
            try (AioFile h = await(aio, aio.open(p, O_RDONLY, 0))) {
                StatVfs fv = await(aio, aio.statvfs(h));
                assertThat(fv.bsize()).isEqualTo(v.bsize());
                assertThat(fv.blocks()).isEqualTo(v.blocks());
            }
        }
    }

    // aio_statvfs errors: "On failure, undef is passed" with $!: ENOENT, ENOTDIR.
    @Test
    void statvfsErrorsInBothForms() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        Path missing = dir.resolve("missing");
        Path under = file.resolve("x");
        try (AioEngine aio = FsTesting.engine()) {
            assertFails(aio, Errno.ENOENT, "statvfs", missing, () -> aio.statvfs(missing), cb -> aio.statvfs(missing, cb));
            assertFails(aio, Errno.ENOTDIR, "statvfs", under, () -> aio.statvfs(under), cb -> aio.statvfs(under, cb));
        }
    }

    // ---------------------------------------------------------------- utime

    // aio_utime: "Fractional times are supported": they read back to the nanosecond (stat(1) agrees), by path and by handle.
    @Test
    void utimeFractionalSecondsReadBackToTheNanosecond() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "x");
        try (AioEngine aio = FsTesting.engine()) {
            Outcome<Void> o = callback(aio, cb -> aio.utime(p, 12345.678901234, 1.5, cb));
            assertThat(o.status()).isZero();
            assertThat(o.errno()).isZero();
            FileStat s = await(aio, aio.stat(p));
            assertThat(s.atime()).isEqualTo(Instant.ofEpochSecond(12345, 678_901_234));
            assertThat(s.mtime()).isEqualTo(Instant.ofEpochSecond(1, 500_000_000));
            assertThat(sh("stat", "-c", "%.9X %.9Y", p.toString())).isEqualTo("12345.678901234 1.500000000");

            try (AioFile f = await(aio, aio.open(p, O_RDONLY, 0))) {
                assertThat(await(aio, aio.utime(f, 1_000_000_000.25, 0.000000001))).isNull();
            }
            assertThat(sh("stat", "-c", "%.9X %.9Y", p.toString())).isEqualTo("1000000000.250000000 0.000000001");
            await(aio, aio.utime(p, -2.0, -7.0));
            assertThat(sh("stat", "-c", "%X %Y", p.toString())).as("whole seconds before the epoch").isEqualTo("-2 -7");
        }
    }

    // aio_utime of a time before the epoch with a fraction: Linux stores it (touch -d @-1.5 does), IO::AIO 4.8
    // passes EINVAL (it builds a negative tv_nsec); either is faithful, silently storing another time is not.
    @Test
    void utimeBeforeTheEpochWithAFractionIsExactOrEinvalNeverAnotherTime() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "x");
        try (AioEngine aio = FsTesting.engine()) {
            await(aio, aio.utime(p, 100.0, 100.0));
            Outcome<Void> o = callback(aio, cb -> aio.utime(p, 5.0, -1.5, cb));
            String times = sh("stat", "-c", "%.9X %.9Y", p.toString());
            if (o.errno() == 0) {
                assertThat(times).isEqualTo("5.000000000 -1.500000000");
            } else {
                assertThat(Errno.describe(o.errno())).isEqualTo(Errno.describe(Errno.EINVAL.code()));
                assertThat(times).as("a failed utime changes nothing").isEqualTo("100.000000000 100.000000000");
            }
        }
    }

    // aio_utime: "the special case of $atime and $mtime being undef" sets both to now; "undef==0" when only one is.
    @Test
    void utimeNullsMeanNowOrTheEpoch() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("f"));
        try (AioEngine aio = FsTesting.engine()) {
            await(aio, aio.utime(p, 1000.0, 1000.0));
            Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(1);
            await(aio, aio.utime(p, null, null));
            FileStat s = await(aio, aio.stat(p));
            assertThat(s.atime()).isAfterOrEqualTo(before);
            assertThat(s.mtime()).isAfterOrEqualTo(before);

            await(aio, aio.utime(link, 7.0, null));
            FileStat t = await(aio, aio.stat(p));
            assertThat(t.atime()).as("utime follows the symlink").isEqualTo(Instant.ofEpochSecond(7));
            assertThat(t.mtime()).as("one undef is 0").isEqualTo(Instant.EPOCH);
            try (AioFile f = await(aio, aio.open(p, O_RDONLY, 0))) {
                await(aio, aio.utime(f, null, 3.0));
            }
            assertThat(sh("stat", "-c", "%X %Y", p.toString())).isEqualTo("0 3");
        }
    }

    // aio_utime errors: ENOENT, ENOTDIR (a dangling symlink is ENOENT too).
    @Test
    void utimeErrorsInBothForms() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        Path missing = dir.resolve("missing");
        Path under = file.resolve("x");
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), Path.of("nothing"));
        try (AioEngine aio = FsTesting.engine()) {
            assertFails(aio, Errno.ENOENT, "utime", missing, () -> aio.utime(missing, 1.0, 1.0), cb -> aio.utime(missing, 1.0, 1.0, cb));
            assertFails(aio, Errno.ENOTDIR, "utime", under, () -> aio.utime(under, null, null), cb -> aio.utime(under, null, null, cb));
            assertFails(aio, Errno.ENOENT, "utime", dangling, () -> aio.utime(dangling, 1.0, 1.0), cb -> aio.utime(dangling, 1.0, 1.0, cb));
        }
    }

    // ---------------------------------------------------------------- chown

    // aio_chown: "undef for either $uid or $gid is being interpreted as do not change (but -1 can also be used)"; ls -ln agrees.
    @Test
    void chownNullOrMinusOneLeavesTheIdUnchanged() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "x");
        try (AioEngine aio = FsTesting.engine()) {
            Outcome<Void> o = callback(aio, cb -> aio.chown(p, 4321, 8765, cb));
            assertThat(o.status()).isZero();
            assertThat(sh("stat", "-c", "%u %g", p.toString())).isEqualTo("4321 8765");
            await(aio, aio.chown(p, 1111, null));
            assertThat(sh("stat", "-c", "%u %g", p.toString())).isEqualTo("1111 8765");
            await(aio, aio.chown(p, null, 2222));
            assertThat(sh("stat", "-c", "%u %g", p.toString())).isEqualTo("1111 2222");
            await(aio, aio.chown(p, -1, -1));
            await(aio, aio.chown(p, null, null));
            assertThat(sh("stat", "-c", "%u %g", p.toString())).isEqualTo("1111 2222");
            try (AioFile f = await(aio, aio.open(p, O_RDONLY, 0))) {
                await(aio, aio.chown(f, 3333, -1));
                FsTesting.succeeds(aio, cb -> aio.chown(f, null, 4444, cb));
            }
            String[] ls = sh("ls", "-ln", p.toString()).split("\\s+");
            assertThat(ls[2] + " " + ls[3]).isEqualTo("3333 4444");
        }
    }

    // aio_chown takes any uid/gid the kernel has (uid_t is unsigned 32-bit: FileStat reports 4294967294 as the int -2,
    // "use Integer.toUnsignedLong"); only -1/undef means "unchanged". The real IO::AIO sets 4294967293 fine. So a stat'ed
    // owner can be given back to chown, and ids of 2^31 and more can be set.
    @Test
    void chownTakesEveryUnsignedIdFileStatReports() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "x");
        Path q = Files.writeString(dir.resolve("g"), "y");
        sh("chown", "4294967294:3000000000", p.toString());
        try (AioEngine aio = FsTesting.engine()) {
            FileStat s = await(aio, aio.stat(p));
            assertThat(Integer.toUnsignedLong(s.uid())).isEqualTo(4294967294L);
            assertThat(Integer.toUnsignedLong(s.gid())).isEqualTo(3000000000L);
            FsTesting.succeeds(aio, cb -> aio.chown(q, s.uid(), s.gid(), cb));
            assertThat(sh("stat", "-c", "%u %g", q.toString())).isEqualTo("4294967294 3000000000");
            await(aio, aio.chown(q, (int) 4294967293L, null));
            assertThat(sh("stat", "-c", "%u %g", q.toString())).isEqualTo("4294967293 3000000000");
        }
    }

    // aio_chown errors: ENOENT (even with both ids unchanged, as chown(2)), ENOTDIR.
    @Test
    void chownErrorsInBothForms() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        Path missing = dir.resolve("missing");
        Path under = file.resolve("x");
        try (AioEngine aio = FsTesting.engine()) {
            assertFails(aio, Errno.ENOENT, "chown", missing, () -> aio.chown(missing, 0, 0), cb -> aio.chown(missing, 0, 0, cb));
            assertFails(aio, Errno.ENOENT, "chown", missing, () -> aio.chown(missing, null, null), cb -> aio.chown(missing, -1, -1, cb));
            assertFails(aio, Errno.ENOTDIR, "chown", under, () -> aio.chown(under, 0, null), cb -> aio.chown(under, 0, null, cb));
        }
    }

    // ---------------------------------------------------------------- chmod

    // aio_chmod "works like perl's chmod", by path and by handle; stat(1) and ls(1) agree.
    @Test
    void chmodSetsPermissionBits() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "x");
        try (AioEngine aio = FsTesting.engine()) {
            Outcome<Void> o = callback(aio, cb -> aio.chmod(p, 0751, cb));
            assertThat(o.status()).isZero();
            assertThat(sh("stat", "-c", "%a", p.toString())).isEqualTo("751");
            assertThat(sh("ls", "-l", p.toString())).startsWith("-rwxr-x--x");
            await(aio, aio.chmod(p, 04755));
            assertThat(sh("stat", "-c", "%a", p.toString())).isEqualTo("4755");
            try (AioFile f = await(aio, aio.open(p, O_RDONLY, 0))) {
                await(aio, aio.chmod(f, 0600));
                FsTesting.succeeds(aio, cb -> aio.chmod(f, 0640, cb));
            }
            assertThat(await(aio, aio.stat(p)).permissions()).isEqualTo(0640);
            assertThat(sh("ls", "-l", p.toString())).startsWith("-rw-r-----");
        }
    }

    // aio_chmod errors: ENOENT, ENOTDIR.
    @Test
    void chmodErrorsInBothForms() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        Path missing = dir.resolve("missing");
        Path under = file.resolve("x");
        try (AioEngine aio = FsTesting.engine()) {
            assertFails(aio, Errno.ENOENT, "chmod", missing, () -> aio.chmod(missing, 0644), cb -> aio.chmod(missing, 0644, cb));
            assertFails(aio, Errno.ENOTDIR, "chmod", under, () -> aio.chmod(under, 0644), cb -> aio.chmod(under, 0644, cb));
        }
    }

    // ---------------------------------------------------------------- truncate

    // aio_truncate "works like truncate(2) or ftruncate(2)": shrinks, grows with zeros; ftruncate keeps the position.
    @Test
    void truncateShrinksAndGrows() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "0123456789");
        try (AioEngine aio = FsTesting.engine()) {
            Outcome<Void> o = callback(aio, cb -> aio.truncate(p, 4, cb));
            assertThat(o.status()).isZero();
            assertThat(Files.readString(p)).isEqualTo("0123");
            await(aio, aio.truncate(p, 6));
            assertThat(Files.readAllBytes(p)).isEqualTo(new byte[] {'0', '1', '2', '3', 0, 0});
            assertThat(sh("stat", "-c", "%s", p.toString())).isEqualTo("6");
            try (AioFile f = await(aio, aio.open(p, O_RDWR, 0))) {
                await(aio, aio.seek(f, 5, SEEK_SET));
                await(aio, aio.truncate(f, 2));
                assertThat(await(aio, aio.seek(f, 0, SEEK_CUR))).as("ftruncate keeps the position").isEqualTo(5L);
                FsTesting.succeeds(aio, cb -> aio.truncate(f, 1 << 20, cb));
                assertThat(await(aio, aio.stat(f)).size()).isEqualTo(1 << 20);
            }
            assertThat(sh("stat", "-c", "%s", p.toString())).isEqualTo(String.valueOf(1 << 20));
            await(aio, aio.truncate(p, 0));
            assertThat(Files.size(p)).isZero();
        }
    }

    // aio_truncate errors, as truncate(2)/ftruncate(2): ENOENT, EISDIR, ENOTDIR; EINVAL on a handle not open for writing.
    @Test
    void truncateErrorsInBothForms() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "0123");
        Path missing = dir.resolve("missing");
        Path under = file.resolve("x");
        try (AioEngine aio = FsTesting.engine(); AioFile r = await(aio, aio.open(file, O_RDONLY, 0))) {
            assertFails(aio, Errno.ENOENT, "truncate", missing, () -> aio.truncate(missing, 0), cb -> aio.truncate(missing, 0, cb));
            assertFails(aio, Errno.EISDIR, "truncate", dir, () -> aio.truncate(dir, 0), cb -> aio.truncate(dir, 0, cb));
            assertFails(aio, Errno.ENOTDIR, "truncate", under, () -> aio.truncate(under, 0), cb -> aio.truncate(under, 0, cb));
            assertFails(aio, Errno.EINVAL, "truncate", r, () -> aio.truncate(r, 0), cb -> aio.truncate(r, 0, cb));
            assertThat(Files.readString(file)).isEqualTo("0123");
        }
    }

    // ---------------------------------------------------------------- allocate

    // aio_allocate mode 0 "allocates ... disk space": the file is extended to cover the range, existing data kept.
    @Test
    void allocateModeZeroExtends() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "abc");
        try (AioEngine aio = FsTesting.engine(); AioFile f = await(aio, aio.open(p, O_RDWR, 0))) {
            Outcome<Void> o = callback(aio, cb -> aio.allocate(f, 0, 0, 100_000, cb));
            assertThat(o.status()).isZero();
            assertThat(o.errno()).isZero();
            assertThat(sh("stat", "-c", "%s", p.toString())).isEqualTo("100000");
            assertThat(await(aio, aio.allocate(f, 0, 10, 10))).as("inside the file: the size stays").isNull();
            assertThat(Files.size(p)).isEqualTo(100_000);
            byte[] head = new byte[4];
            await(aio, aio.read(f, 0L, 4, head, 0));
            assertThat(head).isEqualTo(new byte[] {'a', 'b', 'c', 0});
        }
    }

    // aio_allocate: what cannot be done "passes -1 and sets $! to ENOSYS" (other modes on the portable layer);
    // a zero length is EINVAL and a handle not open for writing EBADF, as fallocate(2).
    @Test
    void allocateErrorsInBothForms() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "abc");
        try (AioEngine aio = FsTesting.engine(); AioFile w = await(aio, aio.open(p, O_WRONLY, 0)); AioFile r = await(aio, aio.open(p, O_RDONLY, 0))) {
            int punch = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;
            assertFails(aio, Errno.ENOSYS, "allocate", w, () -> aio.allocate(w, FALLOC_FL_KEEP_SIZE, 0, 10),
                    cb -> aio.allocate(w, FALLOC_FL_KEEP_SIZE, 0, 10, cb));
            assertFails(aio, Errno.ENOSYS, "allocate", w, () -> aio.allocate(w, punch, 0, 2), cb -> aio.allocate(w, punch, 0, 2, cb));
            assertFails(aio, Errno.EINVAL, "allocate", w, () -> aio.allocate(w, 0, 0, 0), cb -> aio.allocate(w, 0, 0, 0, cb));
            assertFails(aio, Errno.EBADF, "allocate", r, () -> aio.allocate(r, 0, 0, 10), cb -> aio.allocate(r, 0, 0, 10, cb));
            assertThat(Files.readString(p)).as("nothing changed").isEqualTo("abc");
        }
    }
}
