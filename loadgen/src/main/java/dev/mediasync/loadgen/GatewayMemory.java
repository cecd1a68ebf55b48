package dev.mediasync.loadgen;

/** The gateway's heap after a full GC and its RSS at one moment (-1 when unknown), to tell what connections cost. */
record GatewayMemory(long heap, long rss) {

    static GatewayMemory now(Platform platform, long gatewayPid) {
        Platform.gc(gatewayPid);
        return new GatewayMemory(platform.gatewayHeapUsed(), Platform.rss(gatewayPid));
    }

    /** Heap grown per connection from {@code before} to this, or -1. */
    long heapPerConnection(GatewayMemory before, int connections) {
        return connections == 0 || before.heap < 0 ? -1 : (heap - before.heap) / connections;
    }

    /** RSS grown per connection from {@code before} to this, or -1. */
    long rssPerConnection(GatewayMemory before, int connections) {
        return connections == 0 || before.rss < 0 ? -1 : (rss - before.rss) / connections;
    }
}
