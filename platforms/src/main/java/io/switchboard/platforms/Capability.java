package io.switchboard.platforms;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

import io.switchboard.core.calls.CallControlPort;
import io.switchboard.core.calls.ConversationPort;
import io.switchboard.core.calls.MediaPort;
import io.switchboard.core.campaigns.CampaignPort;
import io.switchboard.core.campaigns.DncListPort;

/**
 * One thing a platform may offer, named as in the {@code routes:} configuration, with the port
 * that offers it. The constants are the whole set.
 *
 * @param <P> the port's type
 */
public final class Capability<P> {

    /** DTMF and volume on media sessions ({@code routes.callControl}). */
    public static final Capability<CallControlPort> CALL_CONTROL = new Capability<>("callControl", CallControlPort.class);

    /** Conversation participants: read and mute ({@code routes.conversations}). */
    public static final Capability<ConversationPort> CONVERSATIONS =
            new Capability<>("conversations", ConversationPort.class);

    /** Prompts and digit collection, and so IVR flows ({@code routes.media}). */
    public static final Capability<MediaPort> MEDIA = new Capability<>("media", MediaPort.class);

    /** The platform's DNC lists ({@code routes.dncLists}). */
    public static final Capability<DncListPort> DNC_LISTS = new Capability<>("dncLists", DncListPort.class);

    /** Outbound campaigns ({@code routes.campaigns}). */
    public static final Capability<CampaignPort> CAMPAIGNS = new Capability<>("campaigns", CampaignPort.class);

    /** Every capability, in the order the start-up banner lists them. */
    public static final List<Capability<?>> ALL = List.of(CALL_CONTROL, CONVERSATIONS, MEDIA, DNC_LISTS, CAMPAIGNS);

    private final String name;
    private final Class<P> port;

    private Capability(String name, Class<P> port) {
        this.name = name;
        this.port = port;
    }

    /** Returns the capability's name, as written under {@code routes:}. */
    public String name() {
        return name;
    }

    /** Returns {@code port} as this capability's port type. */
    public P cast(Object port) {
        return this.port.cast(requireNonNull(port, "port"));
    }

    /** Returns the capability named {@code name}, if there is one. */
    public static Optional<Capability<?>> named(String name) {
        return ALL.stream().filter(c -> c.name.equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return name;
    }
}
