/** Actuator support for aio: the {@code aio} endpoint (read the engine, change its parallelism) and the {@code aio} health indicator. */
package org.ioaio.spring.boot.actuate;
