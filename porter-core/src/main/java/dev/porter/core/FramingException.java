package dev.porter.core;

import java.io.IOException;

/**
 * The peer broke the framing rules of the conversation: a line or frame too long, or the stream ended in the
 * middle of a message. The message says which rule and by how much. The connection should be closed: its
 * remaining bytes can no longer be trusted to start a message.
 */
public sealed class FramingException extends IOException
        permits FramingException.LineTooLong, FramingException.FrameTooLarge, FramingException.Truncated {

    private FramingException(String message) {
        super(message);
    }

    /** A line longer than {@link ConnectionConfig#maxLineLength()}. */
    public static final class LineTooLong extends FramingException {
        /** @param limit the maximum line length in bytes */
        public LineTooLong(int limit) {
            super("line longer than the limit of " + limit + " bytes");
        }
    }

    /** A length prefix larger than {@link ConnectionConfig#maxFrameSize()}, or negative. */
    public static final class FrameTooLarge extends FramingException {
        /** @param length the announced length; @param limit the maximum */
        public FrameTooLarge(long length, int limit) {
            super("frame of " + length + " bytes is over the limit of " + limit + " bytes");
        }
    }

    /** The peer closed the stream in the middle of a message. */
    public static final class Truncated extends FramingException {
        /** @param what what was being read; @param got bytes received; @param expected bytes needed */
        public Truncated(String what, long got, long expected) {
            super("stream ended inside a " + what + " after " + got + " of " + expected + " bytes");
        }

        /** @param what what was being read when the stream ended */
        public Truncated(String what) {
            super("stream ended inside a " + what);
        }
    }
}
