/** The submitter's context (MDC, trace) restored where a request completes, and an Observation per request. */
package org.ioaio.spring.boot.context;
