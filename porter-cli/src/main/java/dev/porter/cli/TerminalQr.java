package dev.porter.cli;

import io.nayuki.qrcodegen.QrCode;

import java.util.ArrayList;
import java.util.List;

/**
 * A QR code drawn in the terminal with Unicode half blocks: each character holds two modules, one above the
 * other ({@code ▀ ▄ █} and space), so the code is square on a terminal whose cells are about twice as tall as wide.
 * Encoded by Project Nayuki's qrcodegen (a well-kept library: a QR encoder is easy to get subtly wrong). Drawn dark
 * on light with a quiet zone of 2 modules (the specification asks 4; 2 scans reliably on a screen and saves
 * lines), whatever the terminal's theme, because phone scanners expect dark modules on a light ground.
 */
final class TerminalQr {

    private static final int QUIET = 2;
    private static final String LIGHT_BG = "\u001b[47m\u001b[30m";
    private static final String RESET = "\u001b[0m";

    private TerminalQr() {
    }

    /**
     * @param text   what the code holds (a URL)
     * @param colour true to paint the code black on white (a terminal); false leaves the terminal's colours, which
     *               on a dark theme shows the code inverted (most phone scanners read that too)
     * @return the lines to print
     */
    static List<String> render(String text, boolean colour) {
        QrCode qr = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
        int size = qr.size;
        List<String> lines = new ArrayList<>();
        for (int y = -QUIET; y < size + QUIET; y += 2) {
            StringBuilder sb = new StringBuilder(colour ? LIGHT_BG : "");
            for (int x = -QUIET; x < size + QUIET; x++) {
                boolean top = dark(qr, x, y);
                boolean bottom = dark(qr, x, y + 1);
                sb.append(top && bottom ? '\u2588' : top ? '\u2580' : bottom ? '\u2584' : ' ');
            }
            if (colour) sb.append(RESET);
            lines.add(sb.toString());
        }
        return lines;
    }

    private static boolean dark(QrCode qr, int x, int y) {
        return x >= 0 && y >= 0 && x < qr.size && y < qr.size && qr.getModule(x, y);
    }
}
