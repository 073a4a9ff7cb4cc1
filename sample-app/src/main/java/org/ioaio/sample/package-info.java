/** The aio sample application: start-up (data directory, seed files), priorities and settings. */
package org.ioaio.sample;
