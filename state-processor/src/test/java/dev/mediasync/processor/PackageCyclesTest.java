package dev.mediasync.processor;

import dev.mediasync.architecture.PackageCycles;
import org.junit.jupiter.api.Test;

class PackageCyclesTest {

    @Test
    void thePackagesOfThisModuleFormNoCycle() {
        PackageCycles.assertNone("dev.mediasync.processor");
    }
}
