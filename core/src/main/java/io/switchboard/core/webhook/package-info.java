/** Signed webhooks: HMAC-SHA256 signatures and delivery with retries. */
@NullMarked
package io.switchboard.core.webhook;

import org.jspecify.annotations.NullMarked;
