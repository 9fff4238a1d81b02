package dev.porter.http.internal.h2;

import org.junit.jupiter.api.Test;

import static dev.porter.http.internal.h2.H2Bytes.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Settings}: the defaults and the value rules of RFC 9113 §6.5.2, applied in order (§6.5.3). */
class SettingsTest {

    static byte[] setting(int id, int value) {
        return concat(bytes(id >>> 8, id), int32(value));
    }

    static void apply(Settings s, boolean fromServer, byte[]... entries) {
        byte[] b = concat(entries);
        s.apply(b, 0, b.length, fromServer);
    }

    static void rejects(byte[] entry, boolean fromServer, Http2Error error) {
        assertThatThrownBy(() -> apply(new Settings(), fromServer, entry))
                .isInstanceOfSatisfying(Http2Exception.class, e -> {
                    assertThat(e.isConnectionError()).isTrue();
                    assertThat(e.error()).isEqualTo(error);
                });
    }

    @Test
    void rfc9113_6_5_2_defaults() {
        Settings s = new Settings();
        assertThat(s.headerTableSize()).isEqualTo(4096);
        assertThat(s.enablePush()).isTrue();
        assertThat(s.maxConcurrentStreams()).isEqualTo(Settings.UNLIMITED);
        assertThat(s.initialWindowSize()).isEqualTo(65535);
        assertThat(s.maxFrameSize()).isEqualTo(16384);
        assertThat(s.maxHeaderListSize()).isEqualTo(Settings.UNLIMITED);
        for (int id = 1; id <= 6; id++) assertThat(Settings.defaultValue(id)).isEqualTo(s.get(id));
    }

    @Test
    void rfc9113_6_5_3_parametersAppliedInOrderLastWins() {
        Settings s = new Settings();
        apply(s, false, setting(1, 0), setting(2, 0), setting(3, 100), setting(4, 1 << 20), setting(5, 1 << 20),
                setting(6, 8192), setting(3, 7));
        assertThat(s.headerTableSize()).isZero();
        assertThat(s.enablePush()).isFalse();
        assertThat(s.maxConcurrentStreams()).isEqualTo(7);
        assertThat(s.initialWindowSize()).isEqualTo(1 << 20);
        assertThat(s.maxFrameSize()).isEqualTo(1 << 20);
        assertThat(s.maxHeaderListSize()).isEqualTo(8192);
        Settings copy = s.copy();
        apply(s, false, setting(3, 8));
        assertThat(copy.maxConcurrentStreams()).isEqualTo(7);
    }

    @Test
    void rfc9113_6_5_2_unknownIdentifiersAreIgnored() {
        Settings s = new Settings();
        apply(s, true, setting(0, 5), setting(7, 5), setting(9, 1), setting(0xffff, -1));
        assertThat(s.toString()).isEqualTo(new Settings().toString());
    }

    @Test
    void rfc8441_3_enableConnectProtocolIs0Or1AndNeverBackTo0() {
        Settings s = new Settings();
        apply(s, true, setting(8, 1));
        assertThat(s.enableConnectProtocol()).isTrue();
        assertThatThrownBy(() -> apply(s, true, setting(8, 0))).isInstanceOf(Http2Exception.class)
                .hasMessageContaining("SETTINGS_ENABLE_CONNECT_PROTOCOL 0");
        assertThatThrownBy(() -> apply(new Settings(), true, setting(8, 2))).isInstanceOf(Http2Exception.class);
        Settings fresh = new Settings();
        apply(fresh, true, setting(8, 0));
        assertThat(fresh.enableConnectProtocol()).isFalse();
    }

    @Test
    void rfc9113_6_5_2_enablePushOtherThan0Or1IsProtocolError() {
        rejects(setting(2, 2), false, Http2Error.PROTOCOL_ERROR);
        rejects(setting(2, -1), false, Http2Error.PROTOCOL_ERROR);
    }

    @Test
    void rfc9113_6_5_2_enablePush1FromAServerIsProtocolError() {
        rejects(setting(2, 1), true, Http2Error.PROTOCOL_ERROR);
        Settings s = new Settings();
        apply(s, true, setting(2, 0));
        assertThat(s.enablePush()).isFalse();
        apply(s, false, setting(2, 1));
        assertThat(s.enablePush()).isTrue();
    }

    @Test
    void rfc9113_6_5_2_initialWindowSizeAbove2To31Minus1IsFlowControlError() {
        rejects(setting(4, 0x80000000), false, Http2Error.FLOW_CONTROL_ERROR);
        rejects(setting(4, -1), false, Http2Error.FLOW_CONTROL_ERROR);
        Settings s = new Settings();
        apply(s, false, setting(4, 0x7fffffff));
        assertThat(s.initialWindowSize()).isEqualTo(0x7fffffff);
    }

    @Test
    void rfc9113_6_5_2_maxFrameSizeOutside16384To16777215IsProtocolError() {
        rejects(setting(5, 16383), false, Http2Error.PROTOCOL_ERROR);
        rejects(setting(5, 16777216), false, Http2Error.PROTOCOL_ERROR);
        rejects(setting(5, 0), false, Http2Error.PROTOCOL_ERROR);
        Settings s = new Settings();
        apply(s, false, setting(5, 16777215));
        assertThat(s.maxFrameSize()).isEqualTo(16777215);
    }

    @Test
    void unsignedValuesAboveIntRangeAreClamped() {
        Settings s = new Settings();
        apply(s, false, setting(1, -1), setting(3, -1), setting(6, 0x80000000));
        assertThat(s.headerTableSize()).isEqualTo(Integer.MAX_VALUE);
        assertThat(s.maxConcurrentStreams()).isEqualTo(Integer.MAX_VALUE);
        assertThat(s.maxHeaderListSize()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void settersRefuseValuesOutOfRange() {
        assertThatThrownBy(() -> new Settings().maxFrameSize(100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Settings().initialWindowSize(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Settings().get(7)).isInstanceOf(IllegalArgumentException.class);
    }
}
