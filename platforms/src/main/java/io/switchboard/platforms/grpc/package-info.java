/** What every gRPC upstream adapter shares: failure classification and correlation ids. */
@NullMarked
package io.switchboard.platforms.grpc;

import org.jspecify.annotations.NullMarked;
