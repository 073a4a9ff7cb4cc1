package org.ioaio.internal.sched;

import java.util.concurrent.locks.LockSupport;
import org.ioaio.AioCallback;
import org.ioaio.Errno;

/**
 * {@code aio_busy}: occupies a worker for a time. Stops early, as cancelled, when the engine is
 * closed and its grace period has passed.
 */
public final class BusyRequest extends Request {

    private final long nanos;

    /**
     * A busy request.
     *
     * @param scheduler the owner
     * @param pri priority
     * @param callback callback or {@code null}
     * @param nanos how long to occupy the worker
     */
    public BusyRequest(Scheduler scheduler, int pri, AioCallback<?> callback, long nanos) {
        super(scheduler, pri, callback);
        this.nanos = nanos;
    }

    @Override
    protected void execute() {
        long end = System.nanoTime() + nanos;
        for (;;) {
            if (scheduler.aborting()) {
                cancelled = true;
                fail(Errno.ECANCELED.code());
                return;
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                succeed(0, null);
                return;
            }
            LockSupport.parkNanos(this, left);
        }
    }

    @Override
    public String operation() {
        return "busy";
    }
}
