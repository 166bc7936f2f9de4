package io.switchboard.gateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.switchboard.core.Secrets;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.mask.MaskingJsonGeneratorDecorator;

/** Log lines never show a configured secret, whatever logged it. */
class SecretMaskerTest {

    @Test
    void masksConfiguredSecretsInEveryValueOfAJsonLogLine() {
        Secrets.registerClient("masker-client", "masker-secret-4242");
        final LoggerContext context = new LoggerContext();
        final MaskingJsonGeneratorDecorator decorator = new MaskingJsonGeneratorDecorator();
        decorator.addValueMasker(new SecretMasker());
        decorator.start();
        final LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(context);
        encoder.setJsonGeneratorDecorator(decorator);
        encoder.start();
        final Logger logger = context.getLogger("test");
        final LoggingEvent event = new LoggingEvent("test", logger, Level.WARN,
                                                    "token endpoint said: client_secret=masker-secret-4242 and Basic {}",
                                                    new IllegalStateException("echo masker-secret-4242"),
                                                    new Object[] {"bWFza2VyLWNsaWVudDptYXNrZXItc2VjcmV0LTQyNDI="});
        event.setMDCPropertyMap(java.util.Map.of());
        final String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
        assertThat(line).doesNotContain("masker-secret-4242").doesNotContain("bWFza2VyLWNsaWVudDptYXNrZXItc2VjcmV0LTQyNDI=")
                        .contains("<redacted>").contains("token endpoint said");
    }

    @Test
    void theShippedLoggingConfigurationUsesIt() throws Exception {
        final String shipped = Files.readString(Path.of("..", "cli", "src", "main", "resources", "logback.xml"));
        assertThat(shipped).contains("net.logstash.logback.mask.MaskingJsonGeneratorDecorator")
                           .contains(SecretMasker.class.getName());
    }
}
