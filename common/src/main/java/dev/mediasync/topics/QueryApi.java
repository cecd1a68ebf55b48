package dev.mediasync.topics;

/**
 * The processor's internal query API, as the processor serves it and the gateways call it: the path,
 * the header with the shared token, and the header of the answer that carries the snapshot's version.
 */
public final class QueryApi {

    public static final String SNAPSHOT_PATH = "/internal/v1/snapshot";
    public static final String TOKEN_HEADER = "X-Sync-Query-Token";
    public static final String VERSION_HEADER = "X-Sync-Version";

    private QueryApi() {
    }
}
