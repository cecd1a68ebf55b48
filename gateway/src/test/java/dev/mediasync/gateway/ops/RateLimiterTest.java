package dev.mediasync.gateway.ops;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediasync.error.ErrorCode;
import dev.mediasync.error.SyncException;
import dev.mediasync.gateway.auth.AuthenticatedDevice;
import dev.mediasync.gateway.support.Properties;
import io.github.bucket4j.TimeMeter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    /** A clock the test moves by hand. */
    private static final class FakeTime implements TimeMeter {
        long nanos;

        @Override
        public long currentTimeNanos() {
            return nanos;
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    }

    private final FakeTime time = new FakeTime();
    private final RateLimiter limiter = new RateLimiter(Properties.gateway(
            "rate-limit-capacity", "3", "rate-limit-per-second", "1",
            "user-rate-limit-capacity", "5", "user-rate-limit-per-second", "1",
            "read-rate-limit-capacity", "2", "read-rate-limit-per-second", "1"), time);

    private static void assertRateLimited(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(SyncException.class,
                e -> org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED));
    }

    @Test
    void aDeviceGetsItsBurstThenIsLimitedUntilTheBucketRefills() {
        AuthenticatedDevice tv = new AuthenticatedDevice("alice", "tv");
        for (int i = 0; i < 3; i++) {
            limiter.acquireWrite(tv);
        }
        assertRateLimited(() -> limiter.acquireWrite(tv));

        time.nanos += TimeUnit.SECONDS.toNanos(1);
        assertThatCode(() -> limiter.acquireWrite(tv)).doesNotThrowAnyException();
    }

    @Test
    void rotatingDeviceIdsBuysNothingBeyondTheUsersBucket() {
        for (int i = 0; i < 5; i++) {
            limiter.acquireWrite(new AuthenticatedDevice("alice", "device-" + i));
        }
        assertRateLimited(() -> limiter.acquireWrite(new AuthenticatedDevice("alice", "device-99")));
        assertThatCode(() -> limiter.acquireWrite(new AuthenticatedDevice("bob", "device-0")))
                .as("another user is not affected").doesNotThrowAnyException();
    }

    @Test
    void readsHaveABucketOfTheirOwnPerUser() {
        limiter.acquireRead("alice");
        limiter.acquireRead("alice");
        assertRateLimited(() -> limiter.acquireRead("alice"));
        assertThatCode(() -> limiter.acquireWrite(new AuthenticatedDevice("alice", "tv")))
                .doesNotThrowAnyException();
        assertThatCode(() -> limiter.acquireRead("bob")).doesNotThrowAnyException();
    }
}
