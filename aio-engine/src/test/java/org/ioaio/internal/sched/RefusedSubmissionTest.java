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

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ioaio.EngineInvariants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A submitter that read the scheduler open just before close shut it counts its request, finds the
 * inbox closed and takes the count back ({@code submitNow}), at any moment of close or after it.
 * That count is no request outstanding: close must not report it as one, nor miss a real one. The
 * submitter's steps are taken here one at a time, in the order that once made a clean close
 * return {@code false} on CI ({@code SubmissionInboxTest.submittersRacingCloseLoseNoRequest}).
 */
@ExtendWith(EngineInvariants.class)
class RefusedSubmissionTest {

    // The count is taken after the first close drained: a second close waits for it to go back
    // and then reports a clean close.
    @Test
    void closeWaitsForTheCountARefusedSubmitterTakesBack() throws Exception {
        Scheduler s = scheduler();
        assertThat(s.close(0)).isTrue();

        s.countSubmitted(); // the submitter read closed == false before the close above
        CompletableFuture<Boolean> second = new CompletableFuture<>();
        Thread closer = new Thread(() -> second.complete(s.close(TimeUnit.SECONDS.toNanos(30))), "closer");
        closer.start();
        awaitWaiting(closer);
        assertThat(second).as("close while the refused request's count is held").isNotDone();

        s.uncountRefused(); // its offer found the inbox closed
        closer.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(second).isCompletedWithValue(true);
        assertThat(s.nreqs()).isZero();
    }

    // A count that never goes back is outstanding as far as close can tell: it reports that once its
    // grace ends, rather than waiting on or calling the close clean.
    @Test
    void aCountThatStaysIsReportedOnceTheGraceEnds() {
        Scheduler s = scheduler();
        assertThat(s.close(0)).isTrue();
        s.countSubmitted();
        try {
            long start = System.nanoTime();
            assertThat(s.close(TimeUnit.MILLISECONDS.toNanos(50))).isFalse();
            assertThat(System.nanoTime() - start).as("close returned after its grace")
                    .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
        } finally {
            s.uncountRefused();
        }
        assertThat(s.close(0)).isTrue();
    }

    private static Scheduler scheduler() {
        return new Scheduler("aio-refused", 1, 1, TimeUnit.SECONDS.toNanos(10), 0, 0, 0, null, false);
    }

    /** Waits until {@code t} waits (for the count to go back), or fails after a minute. */
    private static void awaitWaiting(Thread t) {
        long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (t.getState() != Thread.State.TIMED_WAITING) {
            assertThat(t.isAlive()).as("the closer is still closing").isTrue();
            assertThat(System.nanoTime() - until).as("the closer waits within a minute").isNegative();
            Thread.yield();
        }
    }
}
