/** DNC list sync: CSV from a file or S3, streamed into a platform DNC list, resumable, reported. */
@NullMarked
package io.switchboard.compliance.sync;

import org.jspecify.annotations.NullMarked;
