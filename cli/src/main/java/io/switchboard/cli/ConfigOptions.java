package io.switchboard.cli;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

import io.switchboard.gateway.config.ConfigLoader;
import io.switchboard.gateway.config.GatewayConfig;
import picocli.CommandLine.Option;

/** {@code --config} and {@code --data-dir}, for every command that reads the gateway's configuration. */
final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (docs/configuration.md).")
    @Nullable Path config;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where state is kept (default: $SWITCHBOARD_DATA_DIR, else ./data).")
    @Nullable Path dataDir;

    /** Returns the configuration: the file and the environment, with {@code --data-dir} over both. */
    GatewayConfig load() {
        final GatewayConfig cfg = new ConfigLoader().load(config, System.getenv());
        return dataDir != null ? cfg.withDataDir(dataDir) : cfg;
    }
}
