package dev.porter.examples;

import dev.porter.core.Connection;
import dev.porter.core.FramingException;
import dev.porter.core.Protocol;

/**
 * The simplest conversation: every line the client sends comes straight back. Lines longer than the connection's
 * {@link dev.porter.core.ConnectionConfig#maxLineLength()} end the conversation with a framing error.
 */
public final class EchoProtocol implements Protocol {

    /** An echo service; stateless, so one instance serves any number of connections. */
    public EchoProtocol() {
    }

    @Override
    public void serve(Connection c) throws Exception {
        try {
            for (String line; (line = c.readLine()) != null; ) {
                c.writeLine(line);
                // Pipelined lines are answered together: flush only when the client has nothing more buffered.
                if (!c.hasBufferedInput()) c.flush();
            }
        } catch (FramingException e) {
            // The lines before a truncated or too-long one were whole and are answered: send them, then end.
            c.flush();
            throw e;
        }
        c.flush();
    }
}
