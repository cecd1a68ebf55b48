package dev.mediasync.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each malformed frame is refused as {@code bad_request} with a message that names what is wrong. */
class MalformedInputTest {

    private final MessageCodec codec = new MessageCodec();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        not json                     | hello                                                          | malformed JSON at line 1, column
        trailing garbage             | {"type":"device_heartbeat"} x                                  | malformed JSON
        two objects                  | {"type":"device_heartbeat"}{"type":"device_heartbeat"}         | malformed JSON
        truncated                    | {"type":"device_heartbeat"                                     | malformed JSON
        duplicate key                | {"type":"device_heartbeat","type":"device_heartbeat"}          | malformed JSON
        array root                   | [1,2]                                                          | message must be a JSON object
        string root                  | "x"                                                            | message must be a JSON object
        missing type                 | {"op_id":"a1"}                                                 | type is required
        null type                    | {"type":null}                                                  | type is required
        numeric type                 | {"type":7}                                                     | type must be a string
        unknown type                 | {"type":"launch_missiles"}                                     | type must be one of [device_command, device_handoff, device_heartbeat, device_register, device_remove, progress_remove, progress_update, token_refresh, watchlist_update]
        missing op_id                | {"type":"watchlist_update","operation":"add","content_id":"x"} | op_id is required
        numeric op_id                | {"type":"watchlist_update","op_id":5,"operation":"add","content_id":"x"} | op_id must be a string
        empty op_id                  | {"type":"watchlist_update","op_id":"","operation":"add","content_id":"x"} | op_id must be 1–64 chars long
        op_id with a space           | {"type":"watchlist_update","op_id":"a 1","operation":"add","content_id":"x"} | op_id must be printable ASCII without spaces
        op_id too long               | {"type":"watchlist_update","op_id":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","operation":"add","content_id":"x"} | op_id must be 1–64 chars long
        bad operation                | {"type":"watchlist_update","op_id":"a","operation":"toggle","content_id":"x"} | operation must be one of add, remove
        content_id with space        | {"type":"watchlist_update","op_id":"a","operation":"add","content_id":"tmdb 550"} | content_id must be 1–128 chars of [A-Za-z0-9._:/-]
        content_id as number         | {"type":"watchlist_update","op_id":"a","operation":"add","content_id":550} | content_id must be a string
        observed_tags not array      | {"type":"watchlist_update","op_id":"a","operation":"remove","content_id":"x","observed_tags":"t"} | observed_tags must be an array
        observed_tags of numbers     | {"type":"watchlist_update","op_id":"a","operation":"remove","content_id":"x","observed_tags":[1]} | observed_tags[0] must be a string
        observed_tags on add         | {"type":"watchlist_update","op_id":"a","operation":"add","content_id":"x","observed_tags":["t"]} | observed_tags is only allowed with operation remove
        empty observed_tags          | {"type":"watchlist_update","op_id":"a","operation":"remove","content_id":"x","observed_tags":[]} | observed_tags must not be empty
        timestamp not hlc            | {"type":"watchlist_update","op_id":"a","operation":"add","content_id":"x","timestamp":"yesterday"} | timestamp must be "<physical_ms>:<logical>"
        timestamp as number          | {"type":"watchlist_update","op_id":"a","operation":"add","content_id":"x","timestamp":1764197000123} | timestamp must be a string
        logical overflow             | {"type":"watchlist_update","op_id":"a","operation":"add","content_id":"x","timestamp":"1:65536"} | timestamp is out of range
        a 400-digit position         | {"type":"progress_update","op_id":"a","content_id":"x","position_seconds":1111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111,"duration_seconds":1,"state":"paused"} | position_seconds is out of range
        a 400-digit duration         | {"type":"progress_update","op_id":"a","content_id":"x","position_seconds":1,"duration_seconds":-1111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111,"state":"paused"} | duration_seconds is out of range
        progress_remove without id   | {"type":"progress_remove","op_id":"a"}                          | content_id is required
        device_remove bad target     | {"type":"device_remove","op_id":"a","target_device_id":"a b"}  | target_device_id must be 1–64 chars
        position as string           | {"type":"progress_update","op_id":"a","content_id":"x","position_seconds":"10","duration_seconds":20,"state":"paused"} | position_seconds must be a number
        negative position            | {"type":"progress_update","op_id":"a","content_id":"x","position_seconds":-1,"duration_seconds":20,"state":"paused"} | position_seconds must be a non-negative number of seconds
        position after duration      | {"type":"progress_update","op_id":"a","content_id":"x","position_seconds":30,"duration_seconds":20,"state":"paused"} | position_seconds must be ≤ duration_seconds
        duration over a day          | {"type":"progress_update","op_id":"a","content_id":"x","position_seconds":1,"duration_seconds":86401,"state":"paused"} | duration_seconds must be ≤ 86400
        huge number                  | {"type":"progress_update","op_id":"a","content_id":"x","position_seconds":1,"duration_seconds":1e400,"state":"paused"} | duration_seconds is out of range
        huge integer                 | {"type":"progress_update","op_id":"a","content_id":"x","position_seconds":1,"duration_seconds":123456789012345678901234567890,"state":"paused"} | duration_seconds must be ≤ 86400
        missing duration             | {"type":"progress_update","op_id":"a","content_id":"x","position_seconds":1,"state":"paused"} | duration_seconds is required
        bad state                    | {"type":"progress_update","op_id":"a","content_id":"x","position_seconds":1,"duration_seconds":2,"state":"rewinding"} | state must be one of playing, paused, stopped, completed
        boolean position             | {"type":"progress_update","op_id":"a","content_id":"x","position_seconds":true,"duration_seconds":2,"state":"paused"} | position_seconds must be a number
        bad platform                 | {"type":"device_register","name":"TV","platform":"toaster"}     | platform must be one of tv, phone, tablet, web, desktop, console, other
        blank name                   | {"type":"device_register","name":"  ","platform":"tv"}          | name must be 1–100 chars, not blank
        capabilities not strings     | {"type":"device_register","name":"TV","platform":"tv","capabilities":[{}]} | capabilities[0] must be a string
        bad target device            | {"type":"device_command","op_id":"a","target_device_id":"tv 1","command":"play"} | target_device_id must be 1–64 chars of [A-Za-z0-9._:-]
        bad command                  | {"type":"device_command","op_id":"a","target_device_id":"tv-1","command":"rewind"} | command must be one of play, pause, seek, stop, cast
        seek without position        | {"type":"device_command","op_id":"a","target_device_id":"tv-1","command":"seek"} | position_seconds is required for seek
        handoff without content      | {"type":"device_handoff","op_id":"a","target_device_id":"tv-1"} | content_id is required
        """)
    void refusesWithAMessageNamingTheProblem(String name, String frame, String expectedMessage) {
        assertThat(CodecErrors.of(() -> codec.decodeClient(frame))).startsWith(expectedMessage);
    }
}
