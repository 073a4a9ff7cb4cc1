/**
 * The engine's machinery below the API, in the packages of libeio's own drawing: the scheduler and
 * its requests ({@code sched}); the operations, one request per syscall ({@code op}); the
 * composites made of several requests ({@code tree}); the syscall layer ({@code sys}, and {@code
 * linux} for the native calls and io_uring through the FFM API). {@code Platform}, here, says which
 * syscall layer the running JVM gets. Not API, may change without notice.
 */
package org.ioaio.internal;
