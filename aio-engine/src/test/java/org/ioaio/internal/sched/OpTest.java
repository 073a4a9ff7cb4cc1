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

package org.ioaio.internal.sched;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.ioaio.IoUringOp;
import org.junit.jupiter.api.Test;

/** The table of operations is consistent with what the engine promises about names and io_uring. */
class OpTest {

    // Every IoUringOp a user can choose is the io_uring operation of some request (none is dead).
    @Test
    void everyIoUringOpRoutesSomeRequest() {
        Set<IoUringOp> used = EnumSet.noneOf(IoUringOp.class);
        for (Op op : Op.values()) {
            if (op.uring() != null) {
                used.add(op.uring());
            }
        }
        assertThat(used).containsExactlyInAnyOrder(IoUringOp.values());
    }

    // An operation is io_uring-capable exactly when it has an io_uring operation; groups and
    // composites have none.
    @Test
    void theKindMatchesTheIoUringOperation() {
        for (Op op : Op.values()) {
            assertThat(op.kind() == Op.Kind.URING).as(op + ": URING kind iff an io_uring operation").isEqualTo(op.uring() != null);
        }
        assertThat(Op.GROUP.kind()).isEqualTo(Op.Kind.GROUP);
        assertThat(Op.COPY.kind()).isEqualTo(Op.Kind.COMPOSITE);
        assertThat(Op.NOP.kind()).isEqualTo(Op.Kind.WORKER);
    }

    // Constants that share an IO::AIO name are one request on a path and on an open file: the same
    // io_uring operation, and only the path form names paths (so only it stays off the ring in a view).
    @Test
    void aSharedNameIsOneRequestOnAPathAndOnAFile() {
        List<String> pairs = new ArrayList<>();
        for (Op a : Op.values()) {
            for (Op b : Op.values()) {
                if (a.ordinal() < b.ordinal() && a.aioName().equals(b.aioName())) {
                    pairs.add(a + "/" + b);
                    assertThat(b.name()).as("the file form is the path form's name with F").isEqualTo("F" + a.name());
                    assertThat(a.paths()).as(a + " names paths").isTrue();
                    assertThat(b.paths()).as(b + " names none").isFalse();
                    assertThat(b.uring()).as(b + ": io_uring operation").isEqualTo(a.uring());
                }
            }
        }
        assertThat(pairs).contains("STAT/FSTAT", "STATX/FSTATX", "TRUNCATE/FTRUNCATE");
    }

    // Requests report the IO::AIO names users see in errors, listeners and metrics tags.
    @Test
    void namesAreIoAioNames() {
        assertThat(Op.STAT.aioName()).isEqualTo("stat");
        assertThat(Op.FSTAT.aioName()).isEqualTo("stat");
        assertThat(Op.SYNC_FILE_RANGE.aioName()).isEqualTo("sync_file_range");
        assertThat(Op.RENAME2.aioName()).isEqualTo("rename2");
        for (Op op : Op.values()) {
            assertThat(op.aioName()).as(op.name()).isEqualTo(op.name().replaceFirst("^F(STAT|STATX|STATVFS|UTIME|CHOWN|CHMOD|TRUNCATE)$", "$1").toLowerCase());
        }
    }
}
