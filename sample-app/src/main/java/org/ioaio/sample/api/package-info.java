/** The JSON API over the data directory: listing, metadata, download with Range, upload, du, and RFC 9457 problems. */
package org.ioaio.sample.api;
