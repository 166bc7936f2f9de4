/** Reading hand-written YAML with errors that name the file, line and field. */
@NullMarked
package io.switchboard.core.yaml;

import org.jspecify.annotations.NullMarked;
