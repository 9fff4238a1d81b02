package dev.porter.cli;

import io.nayuki.qrcodegen.QrCode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The half-block drawing holds exactly the library's modules, two rows per line, with a quiet zone. */
class TerminalQrTest {

    @Test
    void eachCharacterHoldsTwoModulesOfTheCode() {
        String url = "http://192.168.1.20:8080/";
        QrCode qr = QrCode.encodeText(url, QrCode.Ecc.MEDIUM);
        List<String> lines = TerminalQr.render(url, false);
        int side = qr.size + 4;
        assertThat(lines).hasSize((side + 1) / 2);
        for (int row = 0; row < lines.size(); row++) {
            String line = lines.get(row);
            assertThat(line).hasSize(side);
            for (int col = 0; col < side; col++) {
                char c = line.charAt(col);
                boolean top = c == '\u2588' || c == '\u2580';
                boolean bottom = c == '\u2588' || c == '\u2584';
                assertThat(top).isEqualTo(module(qr, col - 2, row * 2 - 2));
                assertThat(bottom).isEqualTo(module(qr, col - 2, row * 2 - 1));
            }
        }
        assertThat(TerminalQr.render(url, true).get(0)).startsWith("\u001b[47m\u001b[30m").endsWith("\u001b[0m");
    }

    private static boolean module(QrCode qr, int x, int y) {
        return x >= 0 && y >= 0 && x < qr.size && y < qr.size && qr.getModule(x, y);
    }
}
