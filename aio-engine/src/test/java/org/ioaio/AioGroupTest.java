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

package org.ioaio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** IO::AIO::GRP: add, nesting, cancel, cancel_subs, result, errno, feed and limit. */
@ExtendWith(EngineInvariants.class)
class AioGroupTest {

    // The group callback runs once, after every member is done, with the value and errno the group was given.
    @Test
    void groupCallbackRunsAfterEveryMember() {
        try (AioEngine aio = AioEngine.builder().build()) {
            List<String> events = Collections.synchronizedList(new ArrayList<>());
            AtomicReference<Object> value = new AtomicReference<>();
            AtomicInteger errno = new AtomicInteger(-1);
            AioGroup g = aio.group(r -> {
                events.add("group");
                value.set(r.value());
                errno.set(r.errno());
            });
            for (int i = 0; i < 5; i++) {
                int n = i;
                g.add(aio.nop(r -> events.add("member" + n)));
            }
            g.result("ok");
            aio.flush();
            assertThat(events).hasSize(6).endsWith("group");
            assertThat(value).hasValue("ok");
            assertThat(errno).hasValue(0);
            assertThat(g.state()).isEqualTo(AioRequest.State.DONE);
        }
    }

    // $grp->errno sets the errno the group callback sees; the status is then -1.
    @Test
    void groupErrnoReachesTheCallback() {
        try (AioEngine aio = AioEngine.builder().build()) {
            AtomicInteger errno = new AtomicInteger();
            AtomicInteger status = new AtomicInteger();
            AioGroup g = aio.group(r -> {
                errno.set(r.errno());
                status.set((int) r.status());
            });
            g.add(aio.nop(r -> g.errno(Errno.ENOENT.code())));
            aio.flush();
            assertThat(errno).hasValue(Errno.ENOENT.code());
            assertThat(status).hasValue(-1);
        }
    }

    // An empty group finishes at the next poll_cb; members may be added from member callbacks while it lives.
    @Test
    void emptyGroupFinishesAndMembersCanBeAddedFromCallbacks() {
        try (AioEngine aio = AioEngine.builder().build()) {
            AtomicInteger empty = new AtomicInteger();
            aio.group(r -> empty.incrementAndGet());
            List<String> events = Collections.synchronizedList(new ArrayList<>());
            AioGroup g = aio.group(r -> events.add("group"));
            g.add(aio.nop(r -> {
                events.add("first");
                g.add(aio.nop(r2 -> events.add("second")));
            }));
            aio.flush();
            assertThat(empty).hasValue(1);
            assertThat(events).containsExactly("first", "second", "group");
        }
    }

    // Groups nest: the inner group's callback runs before the outer one's.
    @Test
    void nestedGroupsFinishInsideOut() {
        try (AioEngine aio = AioEngine.builder().build()) {
            List<String> events = Collections.synchronizedList(new ArrayList<>());
            AioGroup outer = aio.group(r -> events.add("outer"));
            AioGroup inner = aio.group(r -> events.add("inner"));
            outer.add(inner);
            inner.add(aio.nop(r -> events.add("leaf1")), aio.nop(r -> events.add("leaf2")));
            outer.add(aio.nop(r -> events.add("leaf3")));
            aio.flush();
            assertThat(events).hasSize(5);
            assertThat(events.indexOf("inner")).isGreaterThan(events.indexOf("leaf1")).isGreaterThan(events.indexOf("leaf2"));
            assertThat(events.get(4)).isEqualTo("outer");
            assertThat(aio.nreqs()).isZero();
        }
    }

    // Cancelling a group cancels all requests it contains, nested groups included; no callback runs.
    @Test
    void cancellingAGroupCancelsItsMembers() {
        try (AioEngine aio = AioEngine.builder().maxParallel(0).build()) {
            AtomicInteger calls = new AtomicInteger();
            AioGroup outer = aio.group(r -> calls.incrementAndGet());
            AioGroup inner = aio.group(r -> calls.incrementAndGet());
            outer.add(inner);
            AioRequest a = aio.nop(r -> calls.incrementAndGet());
            AioRequest b = aio.nop(r -> calls.incrementAndGet());
            inner.add(a);
            outer.add(b);
            outer.cancel();
            assertThat(a.isCancelled()).isTrue();
            assertThat(b.isCancelled()).isTrue();
            assertThat(inner.isCancelled()).isTrue();
            aio.flush();
            assertThat(calls).hasValue(0);
            assertThat(aio.nreqs()).isZero();
        }
    }

    // cancel_subs cancels the members and clears the feeder, but the group finishes normally.
    @Test
    void cancelSubsKeepsTheGroupCallback() {
        try (AioEngine aio = AioEngine.builder().maxParallel(0).build()) {
            AtomicInteger members = new AtomicInteger();
            AtomicInteger group = new AtomicInteger();
            AioGroup g = aio.group(r -> group.incrementAndGet());
            g.add(aio.nop(r -> members.incrementAndGet()), aio.nop(r -> members.incrementAndGet()));
            g.cancelSubs();
            aio.flush();
            assertThat(members).hasValue(0);
            assertThat(group).hasValue(1);
            assertThat(g.isCancelled()).isFalse();
        }
    }

    // The manual's example: stat all files, "but only ever use four aio requests concurrently".
    @Test
    void feederKeepsAtMostLimitMembersActive() {
        try (AioEngine aio = AioEngine.builder().minParallel(8).build()) {
            Deque<Integer> work = new ArrayDeque<>();
            IntStream.range(0, 500).forEach(work::add);
            AtomicInteger active = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            AtomicInteger done = new AtomicInteger();
            AtomicInteger finished = new AtomicInteger();
            AioGroup g = aio.group(r -> finished.incrementAndGet());
            g.limit(4);
            g.feed(grp -> {
                Integer item = work.poll();
                if (item == null) {
                    return;
                }
                int now = active.incrementAndGet();
                most.accumulateAndGet(now, Math::max);
                grp.add(aio.custom(() -> item, r -> {
                    active.decrementAndGet();
                    done.incrementAndGet();
                }));
            });
            aio.flush();
            assertThat(done).hasValue(500);
            assertThat(most.get()).isLessThanOrEqualTo(4).isGreaterThan(1);
            assertThat(finished).hasValue(1);
        }
    }

    // "If the feed limit is 0 when this method is called, it will be set to 2 automatically."
    @Test
    void feedOnAGroupWithLimitZeroSetsTheLimitToTwo() {
        try (AioEngine aio = AioEngine.builder().build()) {
            AioGroup g = aio.group(r -> {});
            assertThat(g.limit()).isZero();
            AtomicInteger fed = new AtomicInteger();
            g.feed(grp -> {
                if (fed.incrementAndGet() <= 3) {
                    grp.add(aio.nop(r -> {}));
                }
            });
            assertThat(g.limit()).isEqualTo(2);
            assertThat(g.size()).isEqualTo(2);
            aio.flush();
            assertThat(fed).hasValue(4);
        }
    }

    // "Setting the limit to 0 will pause the feeding process"; raising it resumes.
    @Test
    void limitZeroPausesFeeding() {
        try (AioEngine aio = AioEngine.builder().build()) {
            AtomicInteger fed = new AtomicInteger();
            AtomicInteger groupDone = new AtomicInteger();
            AioGroup g = aio.group(init -> {
                init.add(aio.busy(0.001).request());
            }, r -> groupDone.incrementAndGet());
            g.feed(grp -> {
                if (fed.incrementAndGet() <= 10) {
                    grp.add(aio.nop(r -> {}));
                }
            });
            g.limit(0);
            int before = fed.get();
            assertThat(before).isEqualTo(1);
            g.limit(3);
            aio.flush();
            assertThat(fed).hasValue(11);
            assertThat(groupDone).hasValue(1);
        }
    }

    // A feeder that throws is removed, counted as a callback failure, and the group still finishes.
    @Test
    void throwingFeederIsRemovedAndCounted() {
        try (AioEngine aio = AioEngine.builder().build()) {
            AtomicInteger groupDone = new AtomicInteger();
            AioGroup g = aio.group(r -> groupDone.incrementAndGet());
            g.feed(grp -> {
                throw new IllegalStateException("feeder failure on purpose");
            });
            aio.flush();
            assertThat(groupDone).hasValue(1);
            assertThat(aio.callbackFailures()).isEqualTo(1);
        }
    }

    // A group initialised through group(init, cb) cannot finish before init added its members, however threads poll.
    @Test
    void groupInitIsSafeAgainstAConcurrentPoller() throws Exception {
        try (AioEngine aio = AioEngine.builder().build()) {
            AtomicInteger members = new AtomicInteger();
            AtomicInteger groups = new AtomicInteger();
            Thread poller = new Thread(() -> {
                while (groups.get() < 200) {
                    aio.poll();
                }
            }, "test-poller");
            poller.start();
            for (int i = 0; i < 200; i++) {
                aio.group(g -> {
                    for (int k = 0; k < 3; k++) {
                        g.add(aio.nop(r -> members.incrementAndGet()));
                    }
                }, r -> groups.incrementAndGet());
            }
            poller.join();
            assertThat(members).hasValue(600);
            assertThat(aio.nreqs()).isZero();
        }
    }

    // Bad input: adding null, itself, a request twice, or to a finished group is refused.
    @Test
    void badAddsAreRefused() {
        try (AioEngine aio = AioEngine.builder().build(); AioEngine other = AioEngine.builder().build()) {
            AioGroup g = aio.group(r -> {});
            assertThatThrownBy(() -> g.add((AioRequest) null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> g.add(g)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("itself");
            AioRequest foreign = other.nop(r -> {});
            assertThatThrownBy(() -> g.add(foreign)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another engine");
            AioRequest r1 = aio.nop(r -> {});
            g.add(r1);
            AioGroup g2 = aio.group(r -> {});
            assertThatThrownBy(() -> g2.add(r1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("already in a group");
            assertThatThrownBy(() -> g.limit(-1)).isInstanceOf(IllegalArgumentException.class);
            aio.flush();
            AioRequest done = aio.nop(r -> {});
            aio.flush();
            assertThatThrownBy(() -> g.add(aio.nop(r -> {}))).isInstanceOf(IllegalStateException.class).hasMessageContaining("finished");
            AioGroup g3 = aio.group(r -> {});
            assertThatThrownBy(() -> g3.add(done)).isInstanceOf(IllegalStateException.class).hasMessageContaining("already done");
            aio.flush();
            other.flush();
        }
    }

    // A group init that throws cancels the group and what it added: nothing is left outstanding.
    @Test
    void throwingInitCancelsTheGroupAndItsMembers() {
        try (AioEngine aio = AioEngine.builder().build()) {
            AtomicInteger calls = new AtomicInteger();
            assertThatThrownBy(() -> aio.group(g -> {
                g.add(aio.nop(r -> calls.incrementAndGet()));
                throw new IllegalStateException("init failure on purpose");
            }, r -> calls.incrementAndGet())).isInstanceOf(IllegalStateException.class).hasMessageContaining("on purpose");
            aio.flush();
            assertThat(calls).hasValue(0);
            assertThat(aio.nreqs()).isZero();
        }
    }
}
