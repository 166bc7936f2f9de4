/** Do-Not-Call stores: which numbers must not be called. */
@NullMarked
package io.switchboard.compliance.dnc;

import org.jspecify.annotations.NullMarked;
