/** Switchboard's Java client. */
package io.switchboard.client;
