package org.ioaio.internal.sched;

import java.util.concurrent.Callable;
import org.ioaio.AioCallback;
import org.ioaio.AioException;
import org.ioaio.Errno;

/**
 * libeio's {@code eio_custom}: runs a caller's task on a worker thread. The task's value becomes
 * the request's value; an exception it throws becomes the failure: an {@link AioException} keeps
 * its errno, an {@link InterruptedException} is EINTR, anything else EIO.
 *
 * @param <T> the task's value type
 */
public final class CustomRequest<T> extends Request {

    private final Callable<T> task;
    private final String operation;

    /**
     * A custom request.
     *
     * @param scheduler the owner
     * @param pri priority
     * @param callback callback or {@code null}
     * @param operation the name it reports (for errors and metrics)
     * @param task the task
     */
    public CustomRequest(Scheduler scheduler, int pri, AioCallback<?> callback, String operation, Callable<T> task) {
        super(scheduler, pri, callback);
        this.task = task;
        this.operation = operation;
    }

    @Override
    protected void execute() {
        try {
            succeed(0, task.call());
        } catch (AioException e) {
            fail(e.errno(), e);
        } catch (InterruptedException e) {
            Thread.interrupted();
            fail(Errno.EINTR.code(), e);
        } catch (Exception e) {
            fail(Errno.EIO.code(), e);
        }
    }

    @Override
    public String operation() {
        return operation;
    }
}
