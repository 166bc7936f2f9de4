package io.switchboard.compliance.scrub;

import java.util.List;

import io.switchboard.compliance.dnc.DncStore;

/** One data set, loaded into any store, and the decisions it must give: so that stores can be compared. */
final class ScrubFixture {

    static final List<String> NUMBERS = List.of(
            "+12125550100",     // listed
            "(212) 555-0101",   // listed, written nationally
            "+12125550102",     // its own rule blocks it
            "+19005550100",     // the +1900 prefix rule blocks it
            "+19005550101",     // its own rule allows it over the prefix's, but a 900 number may be in any
                                // North American zone, and it is before 08:00 in most
            "+12135550100",     // Los Angeles: 07:00, outside the window
            "+1 212 555 0199",  // clean
            "not a number",     // invalid
            "+12125550100");    // listed again: each contact is judged

    static final List<String> REASONS_AT_MORNING_EAST = List.of(
            "dnc_blacklist", "dnc_blacklist", "geo_blocked_high", "geo_blocked_premium", "outside_calling_window",
            "outside_calling_window", "allowed", "invalid_number", "dnc_blacklist");

    static void load(DncStore store) {
        store.addAll(new long[] {12125550100L, 12125550101L}).join();
        store.putGeoRule(12125550102L, new GeoRule(false, "high")).join();
        store.putGeoRule(19005550101L, new GeoRule(true, "low")).join();
    }

    private ScrubFixture() {}
}
