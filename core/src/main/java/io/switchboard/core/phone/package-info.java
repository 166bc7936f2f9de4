/** Phone numbers: parsing any reasonable input into canonical E.164 (ITU-T E.164). */
@NullMarked
package io.switchboard.core.phone;

import org.jspecify.annotations.NullMarked;
