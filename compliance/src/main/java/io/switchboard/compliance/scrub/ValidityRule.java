package io.switchboard.compliance.scrub;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletableFuture;

import io.switchboard.core.InvalidArgumentException;
import io.switchboard.core.phone.PhoneNumbers;

/**
 * Validity: each number is read as E.164 ({@link PhoneNumbers}); one that is not a valid phone
 * number is {@code invalid_number}, with the cause in {@code detail}. The digits of the rest are
 * kept on the batch for the rules after this one, which must come after it.
 */
public final class ValidityRule implements ScrubRule {

    private final PhoneNumbers phoneNumbers;

    /** Creates the rule, reading numbers with {@code phoneNumbers}. */
    public ValidityRule(PhoneNumbers phoneNumbers) {
        this.phoneNumbers = requireNonNull(phoneNumbers, "phoneNumbers");
    }

    @Override
    public CompletableFuture<Void> apply(ScrubBatch batch) {
        for (int i = 0; i < batch.size(); i++) {
            if (!batch.undecided(i)) {
                continue;
            }
            final String raw = batch.contact(i).phoneNumber();
            try {
                batch.digits(i, phoneNumbers.toDigits("phoneNumber", raw == null ? "" : raw));
            } catch (InvalidArgumentException e) {
                batch.decide(i, new ScrubEngine.Decision(true, "invalid_number", e.getMessage()));
            }
        }
        return CompletableFuture.completedFuture(null);
    }
}
