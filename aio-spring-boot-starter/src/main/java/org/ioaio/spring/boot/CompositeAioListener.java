package org.ioaio.spring.boot;

import java.util.List;
import org.ioaio.AioListener;

/** Forwards each event to several listeners, in order; one that throws does not stop the others. */
final class CompositeAioListener implements AioListener {

    private static final System.Logger LOG = System.getLogger(CompositeAioListener.class.getName());

    private final AioListener[] listeners;

    CompositeAioListener(List<AioListener> listeners) {
        this.listeners = listeners.toArray(new AioListener[0]);
    }

    @Override
    public void executed(String operation, long waitNanos, long executionNanos, int errno) {
        for (AioListener l : listeners) {
            try {
                l.executed(operation, waitNanos, executionNanos, errno);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "aio: listener " + l + " threw", e);
            }
        }
    }

    @Override
    public void skipped(String operation, long waitNanos, boolean timedOut) {
        for (AioListener l : listeners) {
            try {
                l.skipped(operation, waitNanos, timedOut);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "aio: listener " + l + " threw", e);
            }
        }
    }
}
