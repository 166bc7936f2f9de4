/** What every HTTP upstream adapter shares: failure classification. */
@NullMarked
package io.switchboard.platforms.http;

import org.jspecify.annotations.NullMarked;
