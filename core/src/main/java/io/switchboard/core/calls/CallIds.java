package io.switchboard.core.calls;

import java.util.regex.Pattern;

import io.switchboard.core.InvalidArgumentException;

/** The shape of a platform's call id, checked before it goes into a URL path. */
public final class CallIds {

    private static final Pattern CALL_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    /**
     * Returns {@code callId} if it is 1..128 of letters, digits, {@code _} and {@code -}.
     *
     * @throws InvalidArgumentException naming {@code field} otherwise
     */
    public static String check(String field, String callId) {
        if (!CALL_ID.matcher(callId).matches()) {
            throw new InvalidArgumentException(field, callId, "1..128 of A-Z a-z 0-9 _ -");
        }
        return callId;
    }

    private CallIds() {}
}
