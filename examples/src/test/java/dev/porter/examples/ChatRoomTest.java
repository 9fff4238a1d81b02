package dev.porter.examples;

import dev.porter.core.Server;
import dev.porter.core.testing.Await;
import dev.porter.core.testing.RawClient;
import dev.porter.core.testing.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The chat room over real sockets: broadcast, notices, commands, and a member who does not keep up. */
class ChatRoomTest {

    private final List<RawClient> clients = new ArrayList<>();
    private Server server;
    private ChatRoom room;

    private void open(ChatRoom r) {
        room = r;
        server = TestServers.start(r);
    }

    /** Connects a member and reads their welcome line; tells the members already in that someone joined. */
    private RawClient join(String expectedNick, RawClient... alreadyIn) {
        RawClient c = RawClient.connect(server);
        clients.add(c);
        assertThat(c.readLine()).startsWith("* welcome, you are " + expectedNick + " (");
        for (RawClient other : alreadyIn) assertThat(other.readLine()).isEqualTo("* " + expectedNick + " joined");
        return c;
    }

    @AfterEach
    void close() {
        clients.forEach(RawClient::close);
        if (server != null) server.close();
    }

    @Test
    void aLineGoesToEveryOtherMemberPrefixedWithTheSendersNick() {
        open(new ChatRoom());
        RawClient a = join("guest1");
        RawClient b = join("guest2", a);
        RawClient c = join("guest3", a, b);

        a.sendLine("hello from a");
        assertThat(b.readLine()).isEqualTo("<guest1> hello from a");
        assertThat(c.readLine()).isEqualTo("<guest1> hello from a");

        c.sendLine("and from c");
        assertThat(a.readLine()).isEqualTo("<guest3> and from c"); // a's next line: its own message never came back
        assertThat(b.readLine()).isEqualTo("<guest3> and from c");

        b.sendLine("b too");
        assertThat(a.readLine()).isEqualTo("<guest2> b too");
        assertThat(c.readLine()).isEqualTo("<guest2> b too");
    }

    /**
     * Members read the room in a terminal ({@code nc}): a carriage return or an escape sequence in a line would let
     * its sender rewrite what the others see (erase the line, forge another member's words or a room notice).
     */
    @Test
    void controlCharactersInALineReachTheOthersAsReplacementCharacters() {
        open(new ChatRoom());
        RawClient a = join("guest1");
        RawClient b = join("guest2", a);
        a.sendLine("hi\r\u001b[2K<guest2> I owe guest1 \u0007money\u009b\u007f\tok");
        assertThat(b.readLine()).isEqualTo("<guest1> hi\ufffd\ufffd[2K<guest2> I owe guest1 \ufffdmoney\ufffd\ufffd\tok");
    }

    @Test
    void welcomeTellsTheNickAndHowManyAreHere() {
        open(new ChatRoom());
        RawClient a = RawClient.connect(server);
        clients.add(a);
        assertThat(a.readLine()).isEqualTo("* welcome, you are guest1 (1 here). Commands: /nick NAME, /who, /quit");
        RawClient b = RawClient.connect(server);
        clients.add(b);
        assertThat(b.readLine()).isEqualTo("* welcome, you are guest2 (2 here). Commands: /nick NAME, /who, /quit");
    }

    @Test
    void othersSeeJoinAndLeaveNotices() {
        open(new ChatRoom());
        RawClient a = join("guest1");
        RawClient b = join("guest2", a);
        RawClient c = join("guest3", a, b);

        b.close();
        assertThat(a.readLine()).isEqualTo("* guest2 left");
        assertThat(c.readLine()).isEqualTo("* guest2 left");
        Await.until("the room forgot guest2", () -> room.nicks().equals(List.of("guest1", "guest3")));
    }

    @Test
    void quitSaysByeAndLeaves() {
        open(new ChatRoom());
        RawClient a = join("guest1");
        RawClient b = join("guest2", a);
        b.sendLine("/quit");
        assertThat(b.readLine()).isEqualTo("* bye");
        b.expectClosed();
        assertThat(a.readLine()).isEqualTo("* guest2 left");
    }

    @Test
    void nickRenamesTheMemberAndTellsEveryone() {
        open(new ChatRoom());
        RawClient a = join("guest1");
        RawClient b = join("guest2", a);
        RawClient c = join("guest3", a, b);

        a.sendLine("/nick alice");
        assertThat(a.readLine()).isEqualTo("* guest1 is now alice");
        assertThat(b.readLine()).isEqualTo("* guest1 is now alice");
        assertThat(c.readLine()).isEqualTo("* guest1 is now alice");

        a.sendLine("hi, I am alice");
        assertThat(b.readLine()).isEqualTo("<alice> hi, I am alice");
        assertThat(c.readLine()).isEqualTo("<alice> hi, I am alice");

        a.close();
        assertThat(b.readLine()).isEqualTo("* alice left");
    }

    @Test
    void nickRefusesInvalidNamesAndTellsOnlyTheAsker() {
        open(new ChatRoom());
        RawClient a = join("guest1");
        RawClient b = join("guest2", a);
        for (String bad : List.of("", "two words", "é", "x".repeat(21), "semi;colon")) {
            a.sendLine("/nick " + bad);
            assertThat(a.readLine()).startsWith("* invalid nick \"" + bad.strip() + "\"");
        }
        b.sendLine("still guest2?");
        assertThat(a.readLine()).isEqualTo("<guest2> still guest2?"); // b heard none of a's failed attempts
        assertThat(room.nicks()).containsExactly("guest1", "guest2");
    }

    @Test
    void nickRefusesANameTakenIgnoringCase() {
        open(new ChatRoom());
        RawClient a = join("guest1");
        RawClient b = join("guest2", a);
        a.sendLine("/nick Alice");
        assertThat(a.readLine()).isEqualTo("* guest1 is now Alice");
        assertThat(b.readLine()).isEqualTo("* guest1 is now Alice");

        b.sendLine("/nick alice");
        assertThat(b.readLine()).isEqualTo("* nick alice is taken");
        b.sendLine("/nick guest1"); // freed by the rename
        assertThat(b.readLine()).isEqualTo("* guest2 is now guest1");
        assertThat(a.readLine()).isEqualTo("* guest2 is now guest1");
        assertThat(room.nicks()).containsExactly("Alice", "guest1");
    }

    @Test
    void whoListsTheMembersAndUnknownCommandsAreExplained() {
        open(new ChatRoom());
        RawClient a = join("guest1");
        join("guest2", a);
        a.sendLine("/who");
        assertThat(a.readLine()).isEqualTo("* here: guest1, guest2");
        a.sendLine("/dance");
        assertThat(a.readLine()).isEqualTo("* unknown command /dance; try /nick NAME, /who, /quit");
    }

    @Test
    void aMemberWhoStopsReadingIsDisconnectedWhileTheOthersCarryOn() {
        open(new ChatRoom(16));
        RawClient speaker = join("guest1");
        RawClient listener = join("guest2", speaker);
        join("guest3", speaker, listener); // guest3 never reads again

        // Lines big enough to fill the deaf member's socket buffers, then its outbox of 16.
        String big = "z".repeat(8000);
        boolean dropped = false;
        for (int i = 0; i < 5000 && !dropped; i++) {
            speaker.sendLine(i + big);
            String heard = listener.readLine(); // the listener keeps up: one line in flight at a time
            if (heard.equals("* guest3 left (too slow)")) {
                dropped = true;
            } else {
                assertThat(heard).isEqualTo("<guest1> " + i + big);
            }
        }
        assertThat(dropped).as("the deaf member was disconnected").isTrue();
        assertThat(speaker.readLine()).isEqualTo("* guest3 left (too slow)");
        Await.until("the room forgot guest3", () -> room.nicks().equals(List.of("guest1", "guest2")));

        speaker.sendLine("carry on");
        // The listener may still have the line sent while guest3 was being dropped to read first.
        String next = listener.readLine();
        if (!next.equals("<guest1> carry on")) next = listener.readLine();
        assertThat(next).isEqualTo("<guest1> carry on");
    }

    @Test
    void aGracefulStopEndsEveryMembersConversation() {
        open(new ChatRoom());
        RawClient a = join("guest1");
        RawClient b = join("guest2", a);
        assertThat(server.stop(Duration.ofSeconds(10))).isZero();
        // Each member may first hear the other leave; then the connection closes.
        for (RawClient c : List.of(a, b)) {
            String line;
            while ((line = c.readLine()) != null) assertThat(line).matches("\\* guest[12] left");
        }
        assertThat(room.nicks()).isEmpty();
    }

    @Test
    void validNicksAreShortAsciiWords() {
        assertThat(ChatRoom.isValidNick("bob")).isTrue();
        assertThat(ChatRoom.isValidNick("Bob_the-2nd")).isTrue();
        assertThat(ChatRoom.isValidNick("x".repeat(20))).isTrue();
        assertThat(ChatRoom.isValidNick("x".repeat(21))).isFalse();
        assertThat(ChatRoom.isValidNick("")).isFalse();
        assertThat(ChatRoom.isValidNick("a b")).isFalse();
        assertThat(ChatRoom.isValidNick("<bob>")).isFalse();
    }
}
