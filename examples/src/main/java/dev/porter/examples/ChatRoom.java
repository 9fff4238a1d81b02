package dev.porter.examples;

import dev.porter.core.Connection;
import dev.porter.core.Protocol;
import dev.porter.http.WebSocketHandler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A chat room: every line a client sends goes to every other client, prefixed with the sender's nick
 * ({@code <alice> hello}). The room announces who joins and leaves; lines starting with {@code /} are commands:
 * <ul>
 *   <li>{@code /nick NAME} — take a new nick: 1 to {@value #MAX_NICK_LENGTH} ASCII letters, digits, {@code -} or
 *       {@code _}, unique in the room ignoring case. Everyone sees {@code * old is now NAME}.</li>
 *   <li>{@code /who} — list who is here.</li>
 *   <li>{@code /quit} — leave.</li>
 * </ul>
 * Newcomers are called {@code guestN}. Notices from the room start with {@code "* "}; empty lines are ignored.
 *
 * <p><b>Slow clients.</b> Speaking never waits for listeners: each member has a bounded outbox (default
 * {@value #DEFAULT_OUTBOX_CAPACITY} lines) drained by a writer thread of their own, and a broadcast only
 * enqueues. A member whose outbox is full — one who reads more slowly than the room talks, or not at all — is
 * disconnected ({@code * bob left (too slow)}). So a slow client delays nobody, and the memory it can pin is
 * bounded by the outbox capacity times the longest line (the connection's
 * {@link dev.porter.core.ConnectionConfig#maxLineLength()}). Dropping the slow member rather than its messages
 * keeps the rule simple: whoever is in the room has seen everything said since they joined, in order.
 *
 * <p><b>Two kinds of sockets.</b> TCP clients join through {@link #serve} (this room is a {@link Protocol});
 * WebSocket clients, such as the page of {@link ChatWeb}, through {@link #webSocketHandler()}. Both are members
 * alike: the same nicks, notices, commands and outbox rule, one conversation.
 *
 * <p><b>Ordering.</b> Joining, leaving, renaming and broadcasting hold one room-wide lock while they enqueue (they
 * never block under it), so every member sees the room's events in the same order.
 *
 * <p>Thread-safety: one instance serves every connection of a server at once.
 */
public final class ChatRoom implements Protocol {

    /** Lines a member may have waiting before the room disconnects them as too slow. */
    public static final int DEFAULT_OUTBOX_CAPACITY = 256;
    /** Longest nick, in characters. */
    public static final int MAX_NICK_LENGTH = 20;
    /** How long a leaving member's last lines (such as {@code * bye}) may take to be delivered. */
    private static final Duration FAREWELL = Duration.ofSeconds(5);

    private static final String HELP = "/nick NAME, /who, /quit";

    private final int outboxCapacity;
    private final ReentrantLock lock = new ReentrantLock();
    /** Members by lower-cased nick, in joining order. Guarded by {@link #lock}. */
    private final Map<String, Member> members = new LinkedHashMap<>();
    /** Guarded by {@link #lock}. */
    private int guests;

    /** A room whose members may each have {@value #DEFAULT_OUTBOX_CAPACITY} lines waiting. */
    public ChatRoom() {
        this(DEFAULT_OUTBOX_CAPACITY);
    }

    /**
     * @param outboxCapacity lines a member may have waiting before being disconnected as too slow
     * @throws IllegalArgumentException if {@code outboxCapacity < 1}
     */
    public ChatRoom(int outboxCapacity) {
        if (outboxCapacity < 1) throw new IllegalArgumentException("outboxCapacity must be >= 1: " + outboxCapacity);
        this.outboxCapacity = outboxCapacity;
    }

    /** @return the nicks in the room now, in joining order */
    public List<String> nicks() {
        lock.lock();
        try {
            List<String> nicks = new ArrayList<>(members.size());
            for (Member m : members.values()) nicks.add(m.nick);
            return nicks;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void serve(Connection c) throws Exception {
        converse(new Member(ChatSockets.tcp(c), outboxCapacity), c::readLine);
    }

    /**
     * @return a handler that lets WebSocket clients (a browser page) join this same room: each text message is a
     *         line (several if it holds line ends), each line from the room is a text message. Route it with
     *         {@code router.websocket("/chat", room.webSocketHandler())}; the route's {@link dev.porter.http.WebSocketConfig}
     *         should bound messages as TCP lines are bounded (the connection's longest line), since the outbox holds
     *         up to {@link #DEFAULT_OUTBOX_CAPACITY} of them per member
     */
    public WebSocketHandler webSocketHandler() {
        return ws -> converse(new Member(ChatSockets.websocket(ws), outboxCapacity), ChatSockets.lines(ws));
    }

    /** One member's whole stay, whatever their socket: joins, speaks line by line, leaves. */
    private void converse(Member me, ChatSockets.Lines in) throws Exception {
        me.start();
        join(me);
        boolean quit = false;
        try {
            for (String line; !quit && (line = in.next()) != null; ) {
                if (line.isEmpty()) continue;
                if (line.startsWith("/")) {
                    quit = command(me, line);
                } else {
                    say(me, "<" + me.nick + "> " + printable(line));
                }
            }
        } finally {
            leave(me);
            me.finish(FAREWELL);
        }
    }

    private void join(Member me) {
        lock.lock();
        try {
            String nick;
            do {
                nick = "guest" + ++guests;
            } while (members.containsKey(key(nick)));
            me.nick = nick;
            members.put(key(nick), me);
            // Queued before anyone else can speak to the newcomer: the lock is held.
            send(me, "* welcome, you are " + nick + " (" + members.size() + " here). Commands: " + HELP);
            broadcast(me, "* " + nick + " joined");
        } finally {
            lock.unlock();
        }
    }

    private void leave(Member me) {
        lock.lock();
        try {
            members.remove(key(me.nick));
            broadcast(me, "* " + me.nick + " left" + (me.wasTooSlow() ? " (too slow)" : ""));
        } finally {
            lock.unlock();
        }
    }

    /** @return true if the member asked to leave */
    private boolean command(Member me, String line) {
        int space = line.indexOf(' ');
        String name = space < 0 ? line : line.substring(0, space);
        String argument = space < 0 ? "" : line.substring(space + 1).strip();
        switch (name) {
            case "/nick" -> rename(me, argument);
            case "/who" -> {
                lock.lock();
                try {
                    send(me, "* here: " + String.join(", ", nicks()));
                } finally {
                    lock.unlock();
                }
            }
            case "/quit" -> {
                lockedSend(me, "* bye");
                return true;
            }
            default -> lockedSend(me, "* unknown command " + name + "; try " + HELP);
        }
        return false;
    }

    private void rename(Member me, String wanted) {
        if (!isValidNick(wanted)) {
            lockedSend(me, "* invalid nick \"" + wanted + "\": use 1-" + MAX_NICK_LENGTH
                    + " letters, digits, '-' or '_'");
            return;
        }
        lock.lock();
        try {
            String old = me.nick;
            if (old.equals(wanted)) {
                send(me, "* you are already " + wanted);
                return;
            }
            Member holder = members.get(key(wanted));
            if (holder != null && holder != me) {
                send(me, "* nick " + wanted + " is taken");
                return;
            }
            members.remove(key(old));
            me.nick = wanted;
            members.put(key(wanted), me);
            send(me, "* " + old + " is now " + wanted);
            broadcast(me, "* " + old + " is now " + wanted);
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return true if {@code nick} is 1 to {@value #MAX_NICK_LENGTH} ASCII letters, digits, {@code -} or
     *         {@code _}
     */
    public static boolean isValidNick(String nick) {
        if (nick.isEmpty() || nick.length() > MAX_NICK_LENGTH) return false;
        for (int i = 0; i < nick.length(); i++) {
            char ch = nick.charAt(i);
            boolean ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
                    || ch == '-' || ch == '_';
            if (!ok) return false;
        }
        return true;
    }

    /**
     * @return {@code line} with every control character but TAB (C0, DEL, C1) replaced by U+FFFD: members read the
     *         room in terminals, where a carriage return or an escape sequence from one member would rewrite what
     *         the others see (erase a line, forge another member's words or a room notice)
     */
    static String printable(String line) {
        StringBuilder b = null;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if ((ch < 0x20 && ch != '\t') || (ch >= 0x7f && ch <= 0x9f)) {
                if (b == null) b = new StringBuilder(line);
                b.setCharAt(i, '\ufffd');
            }
        }
        return b == null ? line : b.toString();
    }

    private void say(Member me, String line) {
        lock.lock();
        try {
            broadcast(me, line);
        } finally {
            lock.unlock();
        }
    }

    private void lockedSend(Member me, String line) {
        lock.lock();
        try {
            send(me, line);
        } finally {
            lock.unlock();
        }
    }

    /** Queues {@code line} for everyone but {@code sender}. The caller holds the lock. */
    private void broadcast(Member sender, String line) {
        for (Member m : members.values()) {
            if (m != sender) send(m, line);
        }
    }

    /** Queues {@code line} for {@code m}, disconnecting them if their outbox is full. The caller holds the lock. */
    private static void send(Member m, String line) {
        if (!m.offer(line)) m.disconnectTooSlow();
    }

    private static String key(String nick) {
        return nick.toLowerCase(Locale.ROOT);
    }
}
