/** Background jobs (du, copy, move, delete) built from engine requests in IO::AIO groups with feeders. */
package org.ioaio.sample.jobs;
