/** Linux syscalls through the FFM API (Java 22+): the native syscall layer ({@code LinuxSyscalls}, its jails resolved by {@code openat2} in {@code LinuxBeneathSyscalls}), compiled with --release 22 and loaded only by name, by {@code org.ioaio.internal.Platform}, when the running JVM is 22 or later. */
package org.ioaio.internal.linux;
