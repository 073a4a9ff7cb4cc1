/** The engine's machinery below the API: per-call records, composites and the platform probe here; the scheduler and its requests in {@code sched}, the syscall layer in {@code sys} and {@code linux}. Not API, may change without notice. */
package org.ioaio.internal;
