package dev.tocsin.relay.telegram;

import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Priority;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TelegramTextTest {

    @Test
    void htmlSpecialCharactersAreEscapedInTextAndLink() {
        Alert alert = new Alert("a1", Priority.CRITICAL, "t", "<script>&\"x\"", "a < b > c & d_*[]()~`#+-=|{}.!",
                null, null, null, null, null, false, null, null, Instant.now(), Instant.now(), Audience.EVERYONE,
                null, null, null, null, null, null, null, null);

        String text = TelegramText.of(alert, "https://x.test/alerts/a1?x=1&y=\"2\"");

        assertEquals("<b>[CRITICAL] &lt;script&gt;&amp;\"x\"</b>\n"
                + "a &lt; b &gt; c &amp; d_*[]()~`#+-=|{}.!\n"
                + "<a href=\"https://x.test/alerts/a1?x=1&amp;y=&quot;2&quot;\">Open alert</a>", text);
    }
}
