package dev.porter.core.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;

/**
 * Where a connection's {@link ConnectionOutput} sends bytes: the plain socket, or TLS that encrypts first. Blocking;
 * callers serialize writes (the output's lock).
 */
interface ByteSink {

    /** Sends all of {@code src}, blocking until the kernel took it. */
    void write(ByteBuffer src) throws IOException;

    /** Sends the remaining bytes of all of {@code srcs} in order, blocking until the kernel took them. */
    void write(ByteBuffer[] srcs) throws IOException;

    /**
     * Sends all of {@code src}, the last bytes before {@link #shutdownOutput()}, which the caller calls next: a
     * sink may hold them back to send them with what the shutdown sends (TLS: its close_notify).
     */
    default void writeLast(ByteBuffer src) throws IOException {
        write(src);
    }

    /**
     * Sends file bytes without copying them through the JVM (sendfile), if this sink can.
     *
     * @return bytes sent, 0 if the socket could not take any now; or -1 if this sink cannot send files directly
     *         (TLS must encrypt every byte), so the caller copies instead
     */
    long transferFrom(FileChannel file, long position, long count) throws IOException;

    /** Ends the output side: the peer reads end-of-stream (after TLS's close_notify). */
    void shutdownOutput() throws IOException;

    /** The plain socket. */
    record Plain(SocketChannel channel) implements ByteSink {
        @Override
        public void write(ByteBuffer src) throws IOException {
            while (src.hasRemaining()) channel.write(src);
        }

        /** One gathering write (writev) per call, repeated from the first buffer not yet sent whole. */
        @Override
        public void write(ByteBuffer[] srcs) throws IOException {
            for (int i = 0; i < srcs.length; ) {
                if (srcs[i].hasRemaining()) channel.write(srcs, i, srcs.length - i);
                else i++;
            }
        }

        @Override
        public long transferFrom(FileChannel file, long position, long count) throws IOException {
            return file.transferTo(position, count, channel);
        }

        @Override
        public void shutdownOutput() throws IOException {
            channel.shutdownOutput();
        }
    }
}
