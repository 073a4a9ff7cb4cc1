/** The web layer around the API: responses written on their connection's event loop, security. */
package org.ioaio.sample.web;
