package dev.mediasync.topics;

import java.util.Arrays;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * The processor's internal query API, as the processor serves it and the gateways call it: the paths,
 * the header with the shared token, and the headers of the answers that carry the snapshots' versions.
 * The batch path answers several users in one request ({@code POST}, a JSON array of user ids), one line
 * per user in the order asked ({@code application/x-ndjson}): a {@code snapshot} message, or an
 * {@code error} message when that user's partition cannot be read now.
 */
public final class QueryApi {

    public static final String SNAPSHOT_PATH = "/internal/v1/snapshot";
    public static final String TOKEN_HEADER = "X-Sync-Query-Token";
    public static final String VERSION_HEADER = "X-Sync-Version";
    public static final String SNAPSHOTS_PATH = "/internal/v1/snapshots";
    /** The batch answer's versions, comma-separated, in the order of its lines; {@code error} for an error line. */
    public static final String VERSIONS_HEADER = "X-Sync-Versions";
    /** The version of an error line (a snapshot's may be -1: nothing happened on its partition yet). */
    public static final long NOT_A_SNAPSHOT = Long.MIN_VALUE;
    private static final String ERROR_LINE = "error";
    public static final String NDJSON = "application/x-ndjson";
    /** Users in one batch request, at most. */
    public static final int MAX_BATCH_USERS = 64;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private QueryApi() {
    }

    /** The body of a batch request: the user ids as a JSON array. */
    public static byte[] batchRequest(List<String> userIds) {
        return JSON.writeValueAsBytes(userIds);
    }

    /**
     * A batch answer as read: one line per user asked, in order (compact JSON has no raw line breaks, so
     * each line is one message), and each line's version, {@link #NOT_A_SNAPSHOT} for an error line.
     */
    public record BatchAnswer(List<String> lines, long[] versions) {

        /** @param versionsHeader the {@link #VERSIONS_HEADER} value, empty when there was none */
        public static BatchAnswer read(String body, String versionsHeader) {
            return new BatchAnswer(body.isEmpty() ? List.of() : List.of(body.split("\n")),
                    versionsHeader.isEmpty() ? new long[0] : Arrays.stream(versionsHeader.split(","))
                            .mapToLong(v -> v.equals(ERROR_LINE) ? NOT_A_SNAPSHOT : Long.parseLong(v)).toArray());
        }

        /** Whether it has a line and a version for each of that many users. */
        public boolean answers(int users) {
            return lines.size() == users && versions.length == users;
        }
    }

    /** One line's entry in the versions header. */
    public static String versionEntry(long version) {
        return version == NOT_A_SNAPSHOT ? ERROR_LINE : Long.toString(version);
    }
}
