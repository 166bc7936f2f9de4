/** The audit trail: hash-chained JSON lines, appended and fsync'd, and their verification. */
@NullMarked
package io.switchboard.core.audit;

import org.jspecify.annotations.NullMarked;
