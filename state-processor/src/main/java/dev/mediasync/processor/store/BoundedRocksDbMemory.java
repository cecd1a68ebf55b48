package dev.mediasync.processor.store;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the memory of every RocksDB store of this process together ({@code sync.processor.rocksdb-memory}):
 * one block cache that also holds the index and filter blocks, with the memtables charged to it through
 * a write-buffer manager (a quarter of the budget). Without it each store of each partition sizes its own
 * memtables and caches, so memory grows with the partition count (Kafka Streams' documented recipe).
 */
public class BoundedRocksDbMemory implements RocksDBConfigSetter {

    /** The budget in bytes, passed through the Streams configuration. */
    public static final String MEMORY_CONFIG = "sync.rocksdb.memory.bytes";

    private record Shared(long bytes, Cache cache, WriteBufferManager writeBuffers) {
    }

    private static Shared shared;

    /** One cache per process: every store of every task shares it, and it is never closed. */
    private static synchronized Shared shared(long bytes) {
        if (shared == null || shared.bytes() != bytes) {
            Cache cache = new LRUCache(bytes, -1, false, 0.1);
            shared = new Shared(bytes, cache, new WriteBufferManager(bytes / 4, cache));
        }
        return shared;
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Shared memory = shared(Long.parseLong(String.valueOf(configs.get(MEMORY_CONFIG))));
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(memory.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(memory.writeBuffers());
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and the write-buffer manager are shared by every store and live as long as the process
    }
}
