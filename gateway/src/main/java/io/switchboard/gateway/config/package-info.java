/** The gateway's configuration: YAML file, environment variables and defaults. */
@NullMarked
package io.switchboard.gateway.config;

import org.jspecify.annotations.NullMarked;
