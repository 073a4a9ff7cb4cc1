/** Linux syscalls through the FFM API (Java 22+): compiled with --release 22 and loaded only by name when the running JVM is 22 or later. */
package org.ioaio.internal.linux;
