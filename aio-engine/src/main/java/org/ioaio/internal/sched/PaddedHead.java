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

/**
 * The head of a lock-free stack of requests (linked through {@link Request#next}) that many threads
 * push onto (the ready queues' inbox), and a mask of the priorities pushed since the consumer last
 * took the stack. Head and mask each sit alone on their cache lines (the
 * padding of the classes below; a superclass's fields are laid out before a subclass's): the head
 * is written on every push, the mask about once per take, and consumers read the mask far more
 * often than the head. What the stack means, who may take from it and when, is its owner's.
 *
 * <p>Mask protocol: a pusher pushes, then sets its priority's bit unless set; the consumer clears
 * the mask, then takes the stack. A request left in the stack was pushed after that take, so its
 * bit was set after the clear: the mask never misses a priority of the stack (it may name one the
 * consumer already took, which costs only a look at an empty stack).
 */
final class PaddedHead extends PaddedHeadMask {
    @SuppressWarnings("unused")
    private long r1, r2, r3, r4, r5, r6, r7, r8;

    PaddedHead() {}
}

/** Padding before the head. */
abstract class PaddedHeadPad {
    @SuppressWarnings("unused")
    private long p1, p2, p3, p4, p5, p6, p7, p8;
}

/** The head. */
abstract class PaddedHeadValue extends PaddedHeadPad {

    private static final VarHandle HEAD;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(PaddedHeadValue.class, "head", Request.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The newest request of the stack, or {@code null} (or the owner's sentinel). */
    private volatile Request head;

    /** The head (a volatile read). */
    final Request get() {
        return head;
    }

    /** Replaces the head with {@code update} if it is {@code expect}. */
    final boolean compareAndSet(Request expect, Request update) {
        return HEAD.compareAndSet(this, expect, update);
    }

    /** Takes the whole stack, leaving {@code update}; returns the old head. */
    final Request getAndSet(Request update) {
        return (Request) HEAD.getAndSet(this, update);
    }
}

/** Padding between the head and the mask. */
abstract class PaddedHeadPad2 extends PaddedHeadValue {
    @SuppressWarnings("unused")
    private long q1, q2, q3, q4, q5, q6, q7, q8;
}

/** The mask. */
abstract class PaddedHeadMask extends PaddedHeadPad2 {

    private static final VarHandle MASK;

    static {
        try {
            MASK = MethodHandles.lookup().findVarHandle(PaddedHeadMask.class, "mask", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Bit i: a request of priority index i may be in the stack. */
    private volatile int mask;

    /** The mask (a volatile read). */
    final int mask() {
        return mask;
    }

    /** After a push: sets {@code bit} unless it is set already (then no write at all). */
    final void mark(int bit) {
        if ((mask & bit) == 0) {
            MASK.getAndBitwiseOr(this, bit);
        }
    }

    /** Before a take: clears the mask. */
    final void clearMask() {
        mask = 0;
    }
}
