package io.switchboard.core.redis;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * A Lua script run by its SHA-1 digest ({@code EVALSHA}), and by its text ({@code EVAL}, which
 * also caches it) on a server that does not know it yet: after a restart, a {@code SCRIPT FLUSH},
 * or on a cluster node it was never sent to. On a cluster its keys must share a slot.
 */
public final class LuaScript {

    private final String text;
    private final String sha;

    /** A script of {@code text}. */
    public LuaScript(String text) {
        this.text = requireNonNull(text, "text");
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                                                             .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /** Returns the digest Redis knows the script by. */
    public String sha() {
        return sha;
    }

    /** Runs the script with {@code keys} and {@code args}; the answer is of {@code type}. */
    public <T> CompletableFuture<T> run(RedisClusterAsyncCommands<String, String> redis, ScriptOutputType type,
                                        String[] keys, String... args) {
        return redis.<T>evalsha(sha, type, keys, args).toCompletableFuture().exceptionallyCompose(e -> {
            final Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof RedisNoScriptException) {
                return redis.<T>eval(text, type, keys, args).toCompletableFuture();
            }
            return CompletableFuture.failedFuture(cause);
        });
    }
}
