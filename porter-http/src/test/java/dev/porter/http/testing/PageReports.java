package dev.porter.http.testing;

import dev.porter.http.Router;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The server's side of a page that a browser loads with {@code --dump-dom} and whose script reports what it saw.
 * {@code --dump-dom} prints the page once it has loaded, so the page holds its load event with a parser-blocking
 * {@code <script src="/wait.js">} that is answered only after the report came (or after 30 s): the dumped DOM
 * then shows the result too. The page reports with {@code report(text)} of {@link #page}, or through a route of
 * the test's own that calls {@link #add}.
 */
public final class PageReports {

    private final BlockingQueue<String> reports = new ArrayBlockingQueue<>(4);

    /**
     * @return a page titled {@code title} that runs {@code script}, with {@code <p id="result">} for the outcome and a
     *         function {@code report(text)} that shows {@code text} there and posts it to {@code /report}
     */
    public static String page(String title, String script) {
        return """
                <!doctype html><html><head><meta charset="utf-8"><title>%s</title>
                <link rel="icon" href="data:,"></head><body><p id="result">pending</p>
                <script>
                function report(text) {
                  document.getElementById('result').textContent = text;
                  fetch('/report', {method: 'POST', body: text});
                }
                %s
                </script>
                <script src="/wait.js"></script>
                </body></html>
                """.formatted(title, script);
    }

    /** Adds {@code GET /page.html} (serving {@code page}), {@code GET /wait.js} and {@code POST /report} to {@code r}. */
    public Router routes(Router r, String page) {
        return r.get("/page.html", (req, res) -> res.contentType("text/html; charset=utf-8").send(page))
                .get("/wait.js", (req, res) -> {
                    String report = reports.poll(30, TimeUnit.SECONDS);
                    if (report != null) reports.add(report);
                    res.contentType("text/javascript").send("/* report " + (report != null) + " */\n");
                })
                .post("/report", (req, res) -> {
                    reports.add(req.bodyString());
                    res.send("ok");
                });
    }

    /** Takes a report that came some other way (a WebSocket, say). */
    public void add(String report) {
        reports.add(report);
    }

    /** @return the page's report, waiting up to 5 s for it (it is usually there once the browser ended), or null */
    public String poll() throws InterruptedException {
        return reports.poll(5, TimeUnit.SECONDS);
    }
}
