package dev.tocsin.protocol.message;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/protocol.md and the enums are one contract: this test keeps them from drifting apart. */
class ProtocolDocTest {

    private static final Path DOC = Path.of("..", "docs", "protocol.md");

    @Test
    void everyErrorCodeIsDocumentedAndNothingElse() throws IOException {
        Set<String> documented = firstColumn(section("error-codes"), "`([a-z_]+)`");
        Set<String> declared = Arrays.stream(ErrorCode.values())
                .map(code -> code.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.toCollection(LinkedHashSet::new));
        assertEquals(declared, documented);
    }

    @Test
    void everyCloseCodeIsDocumentedWithItsNumberAndReconnectRule() throws IOException {
        String table = section("close-codes");
        for (CloseCode code : CloseCode.values()) {
            String row = "| " + code.code() + " | `" + code.name().toLowerCase(Locale.ROOT) + "` | "
                    + (code.reconnect() ? "yes" : "no") + " |";
            assertTrue(table.contains(row), "docs/protocol.md lacks the row " + row);
            assertEquals(code.reconnect(), code.code() < 4500, code + " breaks the documented ranges");
        }
        assertEquals(CloseCode.values().length, firstColumn(table, "(\\d{4})").size());
    }

    private static String section(String name) throws IOException {
        String doc = Files.readString(DOC);
        int start = doc.indexOf("<!-- " + name + ":start -->");
        int end = doc.indexOf("<!-- " + name + ":end -->");
        assertTrue(start >= 0 && end > start, "docs/protocol.md has no " + name + " section");
        return doc.substring(start, end);
    }

    private static Set<String> firstColumn(String table, String cellPattern) {
        Pattern row = Pattern.compile("^\\| " + cellPattern + " \\|", Pattern.MULTILINE);
        Matcher matcher = row.matcher(table);
        Set<String> values = new LinkedHashSet<>();
        while (matcher.find()) {
            values.add(matcher.group(1));
        }
        return values;
    }
}
