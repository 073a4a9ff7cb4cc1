/** Micrometer meters of an aio engine: queue gauges, thread gauges, request timers and counters. */
package org.ioaio.spring.boot.metrics;
