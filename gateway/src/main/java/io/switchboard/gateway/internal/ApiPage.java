package io.switchboard.gateway.internal;

import com.linecorp.armeria.server.docs.DocService;
import com.linecorp.armeria.server.docs.DocServiceFilter;

import io.switchboard.api.v1.ApplyCampaignRulesRequest;
import io.switchboard.api.v1.AttemptsGrpc;
import io.switchboard.api.v1.CallControlGrpc;
import io.switchboard.api.v1.ComplianceGrpc;
import io.switchboard.api.v1.Contact;
import io.switchboard.api.v1.GetLegalCallTimesRequest;
import io.switchboard.api.v1.ReserveAttemptRequest;
import io.switchboard.api.v1.SendDtmfRequest;
import io.switchboard.api.v1.SetVolumeRequest;
import io.switchboard.api.v1.ValidateContactsRequest;

/**
 * The API page at {@code /docs}: Switchboard's own services only (the built-in simulator's
 * platform APIs, documented in docs/sandbox.md, and gRPC reflection are left out), with an
 * example request for each method that takes a body. gRPC methods can be sent from the page:
 * the services accept unframed JSON requests ({@link GrpcServices}).
 */
public final class ApiPage {

    /** Services on the server that are not Switchboard's API, as {@code plugin:service#method}. */
    private static final String NOT_OURS = ":(genesyscloud\\.|io\\.switchboard\\.sandbox\\.|grpc\\.reflection\\.)";

    private static final String HTTP_CALLS = CallControlGrpc.SERVICE_NAME + "_HTTP";
    private static final String HTTP_COMPLIANCE = ComplianceGrpc.SERVICE_NAME + "_HTTP";

    private static final io.switchboard.api.v1.FlowRunRequest RUN =
            io.switchboard.api.v1.FlowRunRequest.newBuilder().setRunId("RUN_ID").build();

    /** Returns the page, titled with {@code version}. */
    public static DocService build(String version) {
        return DocService.builder()
                         .webAppTitle("Switchboard " + version + " API")
                         .exclude(DocServiceFilter.ofRegex(NOT_OURS))
                         // gRPC (and their REST twins, transcoded)
                         .exampleRequests(CallControlGrpc.SERVICE_NAME, "SendDtmf",
                                          SendDtmfRequest.newBuilder().setSessionId("SESSION_ID").setTones("12#")
                                                         .setDurationMs(100).build())
                         .exampleRequests(CallControlGrpc.SERVICE_NAME, "SetVolume",
                                          SetVolumeRequest.newBuilder().setSessionId("SESSION_ID").setVolume(0.5f)
                                                          .build())
                         .exampleRequests(ComplianceGrpc.SERVICE_NAME, "ValidateContacts",
                                          ValidateContactsRequest.newBuilder()
                                                  .addContacts(Contact.newBuilder().setPhoneNumber("+14155550100")
                                                                      .setCampaignId("c1"))
                                                  .addContacts(Contact.newBuilder().setPhoneNumber("(212) 555-0101"))
                                                  .build())
                         .exampleRequests(ComplianceGrpc.SERVICE_NAME, "ApplyCampaignRules",
                                          ApplyCampaignRulesRequest.newBuilder()
                                                  .setCampaignId("9f1c2f0e-5a43-4e8b-a1f7-3c2d1e0b9a88")
                                                  .addBlockedNumbers("+14155550100").build())
                         .exampleRequests(ComplianceGrpc.SERVICE_NAME, "GetLegalCallTimes",
                                          GetLegalCallTimesRequest.newBuilder().setPhoneNumber("+13055550100")
                                                                  .build())
                         .exampleRequests(AttemptsGrpc.SERVICE_NAME, "ReserveAttempt",
                                          ReserveAttemptRequest.newBuilder().setPhoneNumber("+13055550100")
                                                               .setCampaignId("c1").build())
                         .exampleRequests(CallControlGrpc.SERVICE_NAME, "SetMute",
                                          io.switchboard.api.v1.SetMuteRequest.newBuilder()
                                                  .setConversationId("CONVERSATION_ID").setParticipantId("PARTICIPANT_ID")
                                                  .setMuted(true).setMaxDurationSeconds(60).build())
                         .exampleRequests(CallControlGrpc.SERVICE_NAME, "Play",
                                          io.switchboard.api.v1.PlayRequest.newBuilder().setCallId("CALL_ID")
                                                  .setMediaUrl("https://example.com/prompts/welcome.wav").build())
                         .exampleRequests(CallControlGrpc.SERVICE_NAME, "Collect",
                                          io.switchboard.api.v1.CollectRequest.newBuilder().setCallId("CALL_ID")
                                                  .setMaxDigits(4).build())
                         .exampleRequests(CallControlGrpc.SERVICE_NAME, "ExecuteCommand",
                                          io.switchboard.api.v1.CallCommandRequest.newBuilder().setSessionId("SESSION_ID")
                                                  .setTone("5").setIsDtmf(true).build())
                         .exampleRequests(AttemptsGrpc.SERVICE_NAME, "ReleaseAttempt",
                                          io.switchboard.api.v1.ReleaseAttemptRequest.newBuilder()
                                                  .setAttemptId("ATTEMPT_ID").build())
                         .exampleRequests(io.switchboard.api.v1.FlowsGrpc.SERVICE_NAME, "StartFlow",
                                          io.switchboard.api.v1.StartFlowRequest.newBuilder().setCallId("CALL_ID")
                                                  .setName("outbound-verification").build())
                         .exampleRequests(io.switchboard.api.v1.FlowsGrpc.SERVICE_NAME, "GetFlowRun", RUN)
                         .exampleRequests(io.switchboard.api.v1.FlowsGrpc.SERVICE_NAME, "StreamFlowEvents", RUN)
                         .exampleRequests(io.switchboard.api.v1.FlowsGrpc.SERVICE_NAME, "CancelFlowRun", RUN)
                         // The same methods over REST, at their real paths
                         .exampleRequests(HTTP_CALLS, "ExecuteCommand",
                                          "{\"sessionId\":\"SESSION_ID\",\"tone\":\"5\",\"isDtmf\":true}")
                         .examplePaths(HTTP_CALLS, "SendDtmf", "/v1/sessions/SESSION_ID/dtmf")
                         .exampleRequests(HTTP_CALLS, "SendDtmf", "{\"tones\":\"12#\",\"durationMs\":100}")
                         .examplePaths(HTTP_CALLS, "SetVolume", "/v1/sessions/SESSION_ID/volume")
                         .exampleRequests(HTTP_CALLS, "SetVolume", "{\"volume\":0.5}")
                         .examplePaths(HTTP_CALLS, "SetMute",
                                       "/v1/conversations/CONVERSATION_ID/participants/PARTICIPANT_ID/mute")
                         .exampleRequests(HTTP_CALLS, "SetMute", "{\"muted\":true,\"maxDurationSeconds\":60}")
                         .examplePaths(HTTP_CALLS, "Play", "/v1/calls/CALL_ID/play")
                         .exampleRequests(HTTP_CALLS, "Play", "{\"mediaUrl\":\"https://example.com/prompts/welcome.wav\"}")
                         .examplePaths(HTTP_CALLS, "Collect", "/v1/calls/CALL_ID/collect")
                         .exampleRequests(HTTP_CALLS, "Collect", "{\"maxDigits\":4}")
                         .examplePaths(HTTP_CALLS, "ExecuteCommand", "/v1/commands")
                         .examplePaths(HTTP_COMPLIANCE, "ApplyCampaignRules", "/apply-campaign-rules")
                         .exampleRequests(HTTP_COMPLIANCE, "ApplyCampaignRules",
                                          "{\"campaignId\":\"9f1c2f0e-5a43-4e8b-a1f7-3c2d1e0b9a88\","
                                          + "\"blockedNumbers\":[\"+14155550100\"]}")
                         .examplePaths(HTTP_COMPLIANCE, "GetLegalCallTimes", "/v1/legal-call-times")
                         .exampleQueries(HTTP_COMPLIANCE, "GetLegalCallTimes", "phoneNumber=%2B13055550100")
                         // REST
                         .exampleRequests(ValidateRoute.class, "validate",
                                          "[{\"phoneNumber\":\"+14155550100\",\"campaignId\":\"c1\"},"
                                          + "{\"phoneNumber\":\"(212) 555-0101\",\"state\":\"NY\"}]")
                         .exampleRequests(AttemptsService.class, "reserve",
                                          "{\"phoneNumber\":\"+13055550100\",\"campaignId\":\"c1\",\"contactId\":\"k-42\"}")
                         .exampleRequests(DncAdminService.class, "add", "{\"phoneNumbers\":[\"+12125550100\"]}")
                         .exampleRequests(DncAdminService.class, "remove", "{\"phoneNumbers\":[\"+12125550100\"]}")
                         .exampleRequests(DncAdminService.class, "check",
                                          "{\"phoneNumbers\":[\"+12125550100\",\"+12125550101\"]}")
                         .exampleRequests(OptOutsService.class, "optOut",
                                          "{\"phoneNumber\":\"+14155550100\",\"scope\":\"global\",\"source\":\"agent\","
                                          + "\"reason\":\"asked on the call\"}")
                         .exampleRequests(ConsentsService.class, "record",
                                          "{\"phoneNumber\":\"+14155550100\",\"scope\":\"campaign:c1\","
                                          + "\"type\":\"ebr_purchase\",\"grantedAt\":\"2026-10-01T00:00:00Z\","
                                          + "\"source\":\"crm\"}")
                         .exampleRequests(DncAdminService.class, "putGeoRule", "{\"allowed\":false,\"riskLevel\":\"high\"}")
                         .examplePaths(DncAdminService.class, "putGeoRule", "/v1/dnc/geo-rules/+12125550102")
                         .exampleRequests(DncImportService.class, "importCsv", "phoneNumber\n+12125550100\n")
                         .exampleRequests(RulesService.class, "declare",
                                          "{\"jurisdiction\":\"US-LA\",\"id\":\"US-LA-emergency-2026-08\","
                                          + "\"summary\":\"Declared state of emergency: no telephone solicitation\","
                                          + "\"purposes\":[\"telephone_solicitation\"],\"hours\":{\"daily\":\"none\"},"
                                          + "\"effective\":{\"from\":\"2026-08-29\",\"until\":\"2026-09-28\"},"
                                          + "\"citation\":\"Example only: the proclamation that declares the emergency\","
                                          + "\"url\":\"https://gov.louisiana.gov/\",\"confidence\":\"H\"}")
                         .exampleRequests(FlowsService.class, "start", "{\"flow\":\"outbound-verification\"}")
                         .examplePaths(FlowsService.class, "start", "/v1/calls/CALL_ID/flows")
                         .build();
    }

    /**
     * Returns the page's HTML: the bundled one, titled Switchboard's, without its link to a web
     * font host, so that the page makes no request to any host but the gateway (the fonts fall
     * back to the browser's own). Serve it at {@code /docs/}, before {@link #build}'s service.
     */
    public static com.linecorp.armeria.server.HttpService index(String version) {
        final String bundled;
        try (java.io.InputStream in = DocService.class.getResourceAsStream("index.html.gz")) {
            if (in == null) {
                throw new IllegalStateException("Armeria's API page has no index.html.gz");
            }
            bundled = new String(new java.util.zip.GZIPInputStream(in).readAllBytes(),
                                 java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Armeria's API page: " + e.getMessage(), e);
        }
        final String html = bundled.replaceAll("<link[^>]*href=\"https?://[^\"]*\"[^>]*>", "")
                                   .replaceFirst("<title>[^<]*</title>",
                                                 "<title>Switchboard " + version + " API</title>");
        return (ctx, req) -> com.linecorp.armeria.common.HttpResponse.of(
                com.linecorp.armeria.common.HttpStatus.OK, com.linecorp.armeria.common.MediaType.HTML_UTF_8, html);
    }

    private ApiPage() {}
}
