/**
 * Frequency caps: how many attempts a subject (a person, in a campaign) may get in a rolling
 * window, counted exactly across replicas, and the reservations that count them.
 */
@NullMarked
package io.switchboard.compliance.caps;

import org.jspecify.annotations.NullMarked;
