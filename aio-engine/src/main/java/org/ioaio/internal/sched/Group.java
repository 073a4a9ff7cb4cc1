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

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;
import org.ioaio.AioCallback;
import org.ioaio.AioGroup;
import org.ioaio.AioRequest;

/**
 * IO::AIO::GRP: a request that finishes when every member is done.
 *
 * <h2>States</h2>
 *
 * A group never executes: it is queued straight into the result queue ({@code PENDING}). When the
 * poller reaches it while it still has members it is marked {@link #delayed} and left alone; the
 * poller finishes it ({@code RESULT}, callback, {@code DONE}) when the last member finishes. A
 * group reached with no members finishes at once. Once its state is {@code RESULT} no member can
 * be added.
 *
 * <h2>Locking</h2>
 *
 * Everything below ({@link #size}, {@link #limit}, {@link #feeder}, {@link #delayed}, the member
 * list through {@link #first}, and the transition to {@code RESULT}) is guarded by this object's
 * monitor. The feeder runs under it, so feeding is never concurrent with itself; it may submit
 * requests (lock order: group monitor, then the scheduler's {@code reqLock}; never the reverse).
 */
public final class Group extends Request implements AioGroup {

    private static final VarHandle GROUP;

    static {
        try {
            GROUP = MethodHandles.lookup().findVarHandle(Request.class, "group", Group.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The marker {@link Request#group} holds once the request finished: no group can adopt it. */
    static final Group FINISHED = new Group(null, 0, null);

    /** Members not yet done. */
    private int size;

    /** Feed while fewer than this many members are active; 0 pauses. */
    private int limit;

    /** The generator, or {@code null}. */
    private Consumer<AioGroup> feeder;

    /** Set by a feeder call that added at least one member (IO::AIO's FLAG_GROUPADD). */
    private boolean added;

    /** The poller reached the group while it had members. */
    boolean delayed;

    /** Head of the member list. */
    private Request first;

    /** What this group is: {@link Op#GROUP}, or a composite request. */
    private final Op op;

    /**
     * A group of {@code scheduler}.
     *
     * @param scheduler the owner
     * @param pri its priority (groups do not queue for workers, but report it)
     * @param callback the group callback, or {@code null}
     */
    public Group(Scheduler scheduler, int pri, AioCallback<?> callback) {
        this(scheduler, pri, callback, Op.GROUP);
    }

    /**
     * A group that reports another operation: a composite request ({@link Op#COPY}, {@link
     * Op#SCANDIR}...) built as a group, as IO::AIO builds them.
     *
     * @param scheduler the owner
     * @param pri its priority
     * @param callback the group callback, or {@code null}
     * @param op the operation it reports
     */
    public Group(Scheduler scheduler, int pri, AioCallback<?> callback, Op op) {
        super(scheduler, pri, callback);
        this.op = op;
    }

    /**
     * Runs {@code init} on this new group with the calling thread's submissions held back, so that
     * no member can finish before it was added.
     *
     * @param init adds members
     */
    public void init(Consumer<AioGroup> init) {
        scheduler.deferring(() -> init.accept(this));
    }

    @Override
    protected void execute() {
        throw new IllegalStateException("groups are never executed");
    }

    @Override
    public Op op() {
        return op;
    }

    @Override
    public AioGroup add(AioRequest... requests) {
        if (requests == null) {
            throw new IllegalArgumentException("requests must not be null");
        }
        for (AioRequest r : requests) {
            if (r == null) {
                throw new IllegalArgumentException("cannot add a null request to a group");
            }
            if (r == this) {
                throw new IllegalArgumentException("cannot add a group to itself");
            }
            if (!(r instanceof Request req) || req.scheduler != scheduler) {
                throw new IllegalArgumentException("request " + r + " belongs to another engine");
            }
        }
        synchronized (this) {
            if (state >= RESULT) {
                throw new IllegalStateException("group has finished: no requests can be added to it");
            }
            for (AioRequest r : requests) {
                Request req = (Request) r;
                if (!GROUP.compareAndSet(req, (Group) null, this)) {
                    Group other = req.group;
                    throw new IllegalStateException(other == FINISHED
                            ? "request " + req + " is already done: add requests to a group right after creating them"
                            : "request " + req + " is already in a group");
                }
                req.grpPrev = null;
                req.grpNext = first;
                if (first != null) {
                    first.grpPrev = req;
                }
                first = req;
                size++;
                added = true;
                if (cancelled) {
                    req.cancel();
                }
            }
        }
        return this;
    }

    @Override
    public void cancel() {
        if (state == DONE || cancelled) {
            return;
        }
        cancelled = true;
        cancelTree(this);
    }

    @Override
    public void cancelSubs() {
        cancelTree(this);
    }

    /**
     * Cancels the members of {@code root} and, through nested groups, the whole tree below it,
     * iteratively (a chain of 20,000 nested groups must not overflow the stack). Each group's
     * feeder is dropped and its members copied under its monitor; members are cancelled outside
     * it, so no two group monitors are ever held together here. A member added after the copy is
     * cancelled by {@link #add} itself, since its group is already marked cancelled.
     */
    private static void cancelTree(Group root) {
        java.util.ArrayDeque<Request> work = new java.util.ArrayDeque<>();
        root.takeMembersForCancel(work);
        Request m;
        while ((m = work.pollLast()) != null) {
            if (m instanceof Group g) {
                if (g.state != DONE && !g.cancelled) {
                    g.cancelled = true;
                    g.takeMembersForCancel(work);
                }
            } else {
                m.cancel();
            }
        }
    }

    /** Drops the feeder and appends the current members to {@code out}. */
    private synchronized void takeMembersForCancel(java.util.ArrayDeque<Request> out) {
        feeder = null;
        for (Request m = first; m != null; m = m.grpNext) {
            out.add(m);
        }
    }

    @Override
    public synchronized void result(Object value) {
        this.value = value;
    }

    @Override
    public synchronized void errno(int errno) {
        this.errno = errno;
        this.status = errno == 0 ? 0 : -1;
    }

    @Override
    public synchronized void feed(Consumer<AioGroup> feeder) {
        this.feeder = feeder;
        if (feeder != null && limit == 0) {
            limit = 2;
        }
        tryFeed();
    }

    @Override
    public synchronized void limit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("group limit must be 0 or more, got " + limit);
        }
        this.limit = limit;
        tryFeed();
    }

    @Override
    public synchronized int limit() {
        return limit;
    }

    @Override
    public synchronized int size() {
        return size;
    }

    /**
     * Calls the feeder while fewer than {@link #limit} members are active (IO::AIO's
     * {@code grp_try_feed}). A feeder that adds nothing, or throws, is removed; a throw is counted
     * as a callback failure.
     */
    private void tryFeed() {
        while (feeder != null && size < limit && !cancelled && state < RESULT) {
            added = false;
            Consumer<AioGroup> f = feeder;
            try {
                scheduler.deferring(() -> f.accept(this));
            } catch (RuntimeException | Error e) {
                feeder = null;
                scheduler.callbackFailed(this, e);
                return;
            }
            if (!added) {
                feeder = null;
            }
        }
    }

    /**
     * The poller reached this group in the result queue.
     *
     * @return {@code true} if the group has no members and finishes now (its state is then RESULT)
     */
    synchronized boolean reachedByPoller() {
        if (size > 0) {
            delayed = true;
            return false;
        }
        state = RESULT;
        return true;
    }

    /**
     * A member finished (inside pollCb): unlinks it, feeds, and tells whether the group finishes now.
     *
     * @param member the finished member
     * @return {@code true} if this was the last member of a delayed group (its state is then RESULT)
     */
    synchronized boolean memberDone(Request member) {
        if (member.grpNext != null) {
            member.grpNext.grpPrev = member.grpPrev;
        }
        if (member.grpPrev != null) {
            member.grpPrev.grpNext = member.grpNext;
        } else {
            first = member.grpNext;
        }
        member.grpNext = member.grpPrev = null;
        size--;
        tryFeed();
        if (size == 0 && delayed) {
            state = RESULT;
            return true;
        }
        return false;
    }

    /**
     * Claims the request's group slot for "finished": afterwards no group can adopt it.
     *
     * @param r a request that is finishing
     * @return the group it belongs to, or {@code null}
     */
    static Group detach(Request r) {
        Group g = (Group) GROUP.getAndSet(r, FINISHED);
        return g == FINISHED ? null : g;
    }
}
