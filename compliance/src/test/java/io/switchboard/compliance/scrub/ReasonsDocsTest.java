package io.switchboard.compliance.scrub;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** docs/api.md's table of reasons is the engine's closed set, no more and no less. */
class ReasonsDocsTest {

    @Test
    void theDocumentedReasonsAreTheEnginesReasons() throws Exception {
        final String doc = Files.readString(Path.of("..", "docs", "api.md"));
        final int table = doc.indexOf("| reason | blocked | when |");
        assertThat(table).isNotNegative();
        final List<String> documented = new ArrayList<>();
        final Matcher row = Pattern.compile("\\n\\| `([a-z_<>]+)` \\| (yes|no) \\|").matcher(doc);
        row.region(table, doc.indexOf("\n\n", table));
        while (row.find()) {
            documented.add(row.group(1));
        }
        assertThat(documented).containsExactlyInAnyOrderElementsOf(ScrubEngine.REASONS);
    }
}
