/** Campaign DNC rules: a campaign's own Do-Not-Call list, filled and attached. */
@NullMarked
package io.switchboard.compliance.campaign;

import org.jspecify.annotations.NullMarked;
