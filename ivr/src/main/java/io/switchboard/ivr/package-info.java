/** IVR flows: the YAML model and its checks ({@link io.switchboard.ivr.FlowLoader}), and the engine ({@link io.switchboard.ivr.FlowEngine}). */
@NullMarked
package io.switchboard.ivr;

import org.jspecify.annotations.NullMarked;
