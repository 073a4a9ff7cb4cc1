/** The syscall layer: one blocking method per syscall ({@link org.ioaio.internal.sys.Syscalls}), failing with an errno, and its implementations. */
package org.ioaio.internal.sys;
