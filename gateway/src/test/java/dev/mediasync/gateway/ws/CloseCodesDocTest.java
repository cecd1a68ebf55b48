package dev.mediasync.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.web.socket.CloseStatus;

/** The close codes of {@code docs/protocol.md} are the ones the gateway sends, no more and no fewer. */
class CloseCodesDocTest {

    private static final Pattern ROW = Pattern.compile("(?m)^\\| (\\d{4}) \\|");

    @Test
    void theProtocolsCloseCodeTableListsEveryCodeTheGatewaySends() throws IOException {
        String protocol = Files.readString(Path.of("../docs/protocol.md"));
        String table = protocol.substring(protocol.indexOf("Close codes (added)"));
        Matcher rows = ROW.matcher(table.substring(0, table.indexOf("\n\n", table.indexOf("| code |"))));
        List<Integer> documented = rows.results().map(row -> Integer.parseInt(row.group(1))).toList();

        List<CloseStatus> sent = List.of(DeviceSession.SEND_BUFFER_OVERFLOW, DeviceSession.SEND_FAILED,
                ConnectionDrain.RECONNECT_ELSEWHERE, SnapshotDelivery.TRY_AGAIN_LATER, DeviceSession.TOKEN_EXPIRED,
                Pinger.SILENT, CloseStatus.POLICY_VIOLATION, SyncWebSocketHandler.FRAME_TOO_BIG);
        assertThat(documented).containsExactlyInAnyOrderElementsOf(
                sent.stream().map(CloseStatus::getCode).distinct().toList());
    }
}
