package io.switchboard.sandbox.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.annotation.Get;
import com.linecorp.armeria.server.annotation.Param;
import com.linecorp.armeria.server.annotation.Post;
import com.linecorp.armeria.server.annotation.Put;

/**
 * Admin API for simulated Genesys Cloud conversations, under {@code /sandbox/v1/genesys}:
 * create a call, read everything the sandbox holds about it, and change a participant's state.
 */
public final class GenesysAdminService {

    private final SandboxState state;

    /** Creates the admin API over {@code state}. */
    public GenesysAdminService(SandboxState state) {
        this.state = state;
    }

    record ParticipantSpec(@Nullable String purpose, @Nullable String state) {}

    record CreateConversation(@Nullable List<ParticipantSpec> participants) {}

    record ParticipantChange(@Nullable String state) {}

    /**
     * Creates a call. Body {@code {}} gives a connected customer and a connected agent; or name
     * the participants: {@code {"participants": [{"purpose": "customer", "state": "connected"}]}}.
     */
    @Post("/sandbox/v1/genesys/conversations")
    public HttpResponse create(AggregatedHttpRequest request) {
        final CreateConversation body = Json.read(request, CreateConversation.class, new CreateConversation(null));
        final List<String[]> specs = new ArrayList<>();
        if (body.participants() == null || body.participants().isEmpty()) {
            specs.add(new String[] {"customer", "connected"});
            specs.add(new String[] {"agent", "connected"});
        } else {
            for (ParticipantSpec p : body.participants()) {
                final String s = p.state() == null ? "connected" : p.state().toLowerCase(Locale.ROOT);
                if (!GenesysConversations.STATES.contains(s)) {
                    return Json.error(HttpStatus.BAD_REQUEST, "invalid_argument",
                                      "participants[].state: \"" + p.state() + "\" (expected one of: "
                                      + String.join(", ", GenesysConversations.STATES.stream().sorted().toList()) + ')');
                }
                specs.add(new String[] {p.purpose() == null ? "customer" : p.purpose(), s});
            }
        }
        final GenesysConversations.Conversation c = state.genesys().create(specs, state.clock().instant());
        synchronized (c) {
            return Json.of(HttpStatus.CREATED, view(c));
        }
    }

    /** Returns a call with each participant's state, mute flag and the digits it sent. */
    @Get("/sandbox/v1/genesys/conversations/{id}")
    public HttpResponse get(@Param String id) {
        return state.genesys().get(id).map(c -> {
            synchronized (c) {
                return Json.ok(view(c));
            }
        }).orElseGet(() -> Json.error(HttpStatus.NOT_FOUND, "not_found", "conversation " + id + " not found"));
    }

    /** Changes a participant's state, e.g. {@code {"state": "disconnected"}}. */
    @Put("/sandbox/v1/genesys/conversations/{id}/participants/{participantId}")
    public HttpResponse change(@Param String id, @Param String participantId, AggregatedHttpRequest request) {
        final ParticipantChange change = Json.read(request, ParticipantChange.class, null);
        final String s = change.state() == null ? "" : change.state().toLowerCase(Locale.ROOT);
        if (!GenesysConversations.STATES.contains(s)) {
            return Json.error(HttpStatus.BAD_REQUEST, "invalid_argument", "state: \"" + change.state()
                              + "\" (expected one of: " + String.join(", ",
                                      GenesysConversations.STATES.stream().sorted().toList()) + ')');
        }
        final GenesysConversations.Conversation c = state.genesys().get(id).orElse(null);
        if (c == null) {
            return Json.error(HttpStatus.NOT_FOUND, "not_found", "conversation " + id + " not found");
        }
        synchronized (c) {
            final GenesysConversations.Participant p = GenesysConversations.participant(c, participantId);
            if (p == null) {
                return Json.error(HttpStatus.NOT_FOUND, "not_found", "participant " + participantId + " not found");
            }
            p.state = s;
            return Json.ok(view(c));
        }
    }

    record CreateList(@Nullable String name, @Nullable String dncSourceType, @Nullable Long maxSize) {}

    record CreateCampaign(@Nullable String name, @Nullable List<String> dncListIds, @Nullable String contactListId) {}

    record Conflicts(int count) {}

    /** Creates a DNC list: internal ({@code rds}) unless told otherwise, with an optional size limit. */
    @Post("/sandbox/v1/genesys/dnclists")
    public HttpResponse createList(AggregatedHttpRequest request) {
        final CreateList body = Json.read(request, CreateList.class, new CreateList(null, null, null));
        final String source = body.dncSourceType() == null ? "rds" : body.dncSourceType();
        if (!List.of("rds", "dnc.com", "gryphon").contains(source)) {
            return Json.error(HttpStatus.BAD_REQUEST, "invalid_argument",
                              "dncSourceType: \"" + source + "\" (expected: rds, dnc.com or gryphon)");
        }
        final long maxSize = body.maxSize() == null ? Long.MAX_VALUE : body.maxSize();
        final GenesysOutbound.DncList list = state.outbound().createList(
                body.name() == null ? "sandbox-list" : body.name(), source, maxSize, state.clock().instant());
        return Json.of(HttpStatus.CREATED, Map.of("id", list.id, "name", list.name, "dncSourceType", source));
    }

    /** Returns a DNC list with every number in it. */
    @Get("/sandbox/v1/genesys/dnclists/{id}")
    public HttpResponse list(@Param String id) {
        return state.outbound().list(id).map(list -> {
            synchronized (list) {
                final Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", list.id);
                m.put("name", list.name);
                m.put("dncSourceType", list.dncSourceType);
                m.put("size", list.numbers.size());
                m.put("numbers", List.copyOf(list.numbers));
                return Json.ok(m);
            }
        }).orElseGet(() -> Json.error(HttpStatus.NOT_FOUND, "not_found", "DNC list " + id + " not found"));
    }

    /** Creates a campaign: {@code {"name", "dncListIds", "contactListId"}}, all optional. */
    @Post("/sandbox/v1/genesys/campaigns")
    public HttpResponse createCampaign(AggregatedHttpRequest request) {
        final CreateCampaign body = Json.read(request, CreateCampaign.class, new CreateCampaign(null, null, null));
        final GenesysOutbound.Campaign c = state.outbound().createCampaign(
                body.name() == null ? "Sandbox campaign" : body.name(),
                body.dncListIds() == null ? List.of() : body.dncListIds(), body.contactListId());
        synchronized (c) {
            return Json.of(HttpStatus.CREATED, Map.of("id", c.json.get("id").asText(),
                                                      "version", c.json.get("version").asLong()));
        }
    }

    /** Returns a campaign as the Platform API serves it. */
    @Get("/sandbox/v1/genesys/campaigns/{id}")
    public HttpResponse campaign(@Param String id) {
        return state.outbound().campaign(id).map(c -> {
            synchronized (c) {
                return Json.ok(c.json);
            }
        }).orElseGet(() -> Json.error(HttpStatus.NOT_FOUND, "not_found", "campaign " + id + " not found"));
    }

    /** Makes the next {@code count} PUTs of a campaign meet a concurrent change (409), as if someone else saved first. */
    @Post("/sandbox/v1/genesys/campaigns/{id}/conflicts")
    public HttpResponse conflicts(@Param String id, AggregatedHttpRequest request) {
        final Conflicts body = Json.read(request, Conflicts.class, null);
        return state.outbound().campaign(id).map(c -> {
            synchronized (c) {
                c.conflictsToInject = body.count();
                return HttpResponse.of(HttpStatus.NO_CONTENT);
            }
        }).orElseGet(() -> Json.error(HttpStatus.NOT_FOUND, "not_found", "campaign " + id + " not found"));
    }

    private static Map<String, Object> view(GenesysConversations.Conversation c) {
        final List<Map<String, Object>> participants = new ArrayList<>();
        for (GenesysConversations.Participant p : c.participants.values()) {
            final Map<String, Object> m = GenesysConversations.view(p);
            m.put("digits", List.copyOf(p.digits));
            participants.add(m);
        }
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("conversationId", c.id);
        m.put("participants", participants);
        return m;
    }
}
