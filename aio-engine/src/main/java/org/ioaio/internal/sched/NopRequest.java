package org.ioaio.internal.sched;

import org.ioaio.AioCallback;

/** {@code aio_nop}: does nothing, but still goes through a worker thread. */
public final class NopRequest extends Request {

    /**
     * A nop.
     *
     * @param scheduler the owner
     * @param pri priority
     * @param callback callback or {@code null}
     */
    public NopRequest(Scheduler scheduler, int pri, AioCallback<?> callback) {
        super(scheduler, pri, callback);
    }

    @Override
    protected void execute() {
        succeed(0, null);
    }

    @Override
    protected boolean helpable() {
        return true;
    }

    @Override
    public String operation() {
        return "nop";
    }
}
