/**
 * Calling rules as cited data: the rule pack (one YAML file per jurisdiction, shipped in the jar
 * and overridable from a directory), which jurisdictions a number belongs to, and the permitted
 * calling intervals that every decision and {@code /v1/legal-call-times} answer is computed from.
 */
@NullMarked
package io.switchboard.compliance.rules;

import org.jspecify.annotations.NullMarked;
