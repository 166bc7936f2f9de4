package io.switchboard.core.phone;

import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneNumberDesc;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import com.google.i18n.phonenumbers.metadata.source.MetadataSource;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicAutomata;
import dk.brics.automaton.RegExp;
import dk.brics.automaton.RunAutomaton;

/**
 * libphonenumber's {@code isValidNumber}, compiled: per country calling code, one deterministic
 * automaton over the national significant number's digits that accepts exactly the numbers
 * {@code isValidNumber} accepts. Checking a number is then one pass over its digits, instead of
 * a dozen regular-expression matches behind a synchronized cache.
 *
 * <p>The automaton encodes {@code isValidNumber}'s own logic from the same metadata:
 * <ul>
 *   <li>the region is the first of the calling code's regions whose leading digits match the
 *       start of the number, or, for a region without leading digits, that the number is valid
 *       in; a calling code with one region always uses it;</li>
 *   <li>in that region, the number is valid if it matches the general description and at least
 *       one type (premium rate, toll free, shared cost, VoIP, personal, pager, UAN, voicemail,
 *       fixed line, and mobile unless its pattern is the fixed line's);</li>
 *   <li>a description matches if the number has one of its possible lengths (any, when none are
 *       listed) and matches its pattern in full (nothing, when the pattern is empty).</li>
 * </ul>
 * Automata are built on first use of a calling code. If one cannot be built (a pattern outside
 * the regular subset the automaton library reads), that calling code keeps using
 * libphonenumber itself. {@code PhoneNumbersTest} compares the two on random and edge-case input.
 *
 * <p>Thread-safe.
 */
final class ValidityAutomata {

    private static final Logger logger = LoggerFactory.getLogger(ValidityAutomata.class);
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final Automaton DIGIT = BasicAutomata.makeCharRange('0', '9');
    /** Marks a calling code whose automaton could not be built. */
    private static final RunAutomaton UNAVAILABLE = new RunAutomaton(BasicAutomata.makeEmpty());

    private final MetadataSource source =
            DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource();
    private final AtomicReferenceArray<RunAutomaton> byCallingCode = new AtomicReferenceArray<>(1000);

    /**
     * Returns whether {@code nsn}, a national significant number of calling code {@code cc}, is
     * valid; null when this calling code has no automaton (the caller then asks libphonenumber).
     */
    @Nullable Boolean valid(int cc, String nsn) {
        RunAutomaton automaton = byCallingCode.get(cc);
        if (automaton == null) {
            automaton = build(cc);
            byCallingCode.compareAndSet(cc, null, automaton);
        }
        return automaton == UNAVAILABLE ? null : automaton.run(nsn);
    }

    private RunAutomaton build(int cc) {
        try {
            final Automaton valid = validNumbers(cc);
            valid.minimize();
            return new RunAutomaton(valid, true);
        } catch (RuntimeException e) {
            logger.warn("+{}: no compiled validity check ({}); libphonenumber checks these numbers", cc, e.toString());
            return UNAVAILABLE;
        }
    }

    private Automaton validNumbers(int cc) {
        final List<String> regions = UTIL.getRegionCodesForCountryCode(cc);
        if (regions.isEmpty()) {
            return BasicAutomata.makeEmpty();
        }
        if (regions.size() == 1) {
            return validIn(metadata(cc, regions.get(0)));
        }
        Automaton valid = BasicAutomata.makeEmpty();
        Automaton unclaimed = DIGIT.repeat();
        for (String region : regions) {
            final PhoneMetadata m = metadata(cc, region);
            final Automaton claimed;
            final Automaton validHere;
            if (m.hasLeadingDigits()) {
                claimed = regex(m.getLeadingDigits()).concatenate(DIGIT.repeat());
                validHere = claimed.intersection(validIn(m));
            } else {
                claimed = validIn(m);
                validHere = claimed;
            }
            valid = valid.union(unclaimed.intersection(validHere));
            unclaimed = unclaimed.minus(claimed);
            valid.minimize();
            unclaimed.minimize();
        }
        return valid;
    }

    private PhoneMetadata metadata(int cc, String region) {
        final PhoneMetadata m = PhoneNumberUtil.REGION_CODE_FOR_NON_GEO_ENTITY.equals(region)
                                ? source.getMetadataForNonGeographicalRegion(cc)
                                : source.getMetadataForRegion(region);
        if (m == null) {
            throw new IllegalStateException("no metadata for " + region);
        }
        return m;
    }

    /** Numbers whose type is known in the region: the general description and any one type. */
    private static Automaton validIn(PhoneMetadata m) {
        Automaton anyType = BasicAutomata.makeEmpty();
        for (PhoneNumberDesc type : List.of(m.getPremiumRate(), m.getTollFree(), m.getSharedCost(), m.getVoip(),
                                            m.getPersonalNumber(), m.getPager(), m.getUan(), m.getVoicemail(),
                                            m.getFixedLine())) {
            anyType = anyType.union(matching(type));
        }
        if (!m.getSameMobileAndFixedLinePattern()) {
            anyType = anyType.union(matching(m.getMobile()));
        }
        return matching(m.getGeneralDesc()).intersection(anyType);
    }

    /** {@code isNumberMatchingDesc}: one of the possible lengths, if any are listed, and the whole pattern. */
    private static Automaton matching(PhoneNumberDesc desc) {
        final String pattern = desc.getNationalNumberPattern();
        if (pattern.isEmpty()) {
            return BasicAutomata.makeEmpty();
        }
        Automaton numbers = regex(pattern);
        if (desc.getPossibleLengthCount() > 0) {
            Automaton lengths = BasicAutomata.makeEmpty();
            for (int length : desc.getPossibleLengthList()) {
                if (length > 0) {
                    lengths = lengths.union(DIGIT.repeat(length, length));
                }
            }
            numbers = numbers.intersection(lengths);
        }
        return numbers;
    }

    /** Reads one of the metadata's patterns, written for java.util.regex, as an automaton. */
    private static Automaton regex(String pattern) {
        final String plain = pattern.replace("(?:", "(").replace("\\d", "[0-9]");
        for (int i = 0; i < plain.length(); i++) {
            final char c = plain.charAt(i);
            if (!(c >= '0' && c <= '9') && "()[]{}|?,-*+".indexOf(c) < 0) {
                throw new IllegalArgumentException("pattern " + pattern + " has '" + c + "'");
            }
        }
        return new RegExp(plain, RegExp.NONE).toAutomaton();
    }
}
