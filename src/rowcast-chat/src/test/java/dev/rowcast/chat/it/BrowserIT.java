package dev.rowcast.chat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import dev.rowcast.chat.it.support.Browser;
import dev.rowcast.chat.it.support.DeployedChat;
import dev.rowcast.chat.it.support.Deployments;

/**
 * The demo page in real headless Chromium, two people at once: what alice does shows up on bob's page without a
 * reload, and a page whose socket drops comes back with what was committed meanwhile, once each.
 */
class BrowserIT extends DeployedChat {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.chatWar();
    }

    @Test
    void should_show_alices_post_edit_and_delete_on_bobs_page_without_reload() throws Exception {
        try (Browser alice = new Browser(base); Browser bob = new Browser(base)) {
            alice.signIn("alice");
            alice.find(By.id("new-conversation-title")).sendKeys("Browser chat");
            alice.find(By.id("create-conversation")).click();
            alice.await(d -> d.findElement(By.id("conversation-title")).getText().equals("Browser chat"),
                    "the new conversation opens");
            alice.find(By.id("member-name")).sendKeys("bob");
            alice.find(By.id("add-member")).click();
            alice.await(d -> d.findElement(By.id("member-name")).getAttribute("value").isEmpty(), "bob is added");
            alice.await(d -> d.findElement(By.id("member-status")).getText().equals("Added bob."), "and told so");
            alice.find(By.id("member-name")).sendKeys("mallory");
            alice.find(By.id("add-member")).click();
            alice.await(d -> d.findElement(By.id("member-status")).getText().contains("no user called \"mallory\""),
                    "an unknown name is refused, and said so");
            alice.find(By.id("member-name")).clear();

            String conversation = alice.find(By.cssSelector("#conversations li.active")).getAttribute("data-id");
            bob.signIn("bob");
            assertEquals("rowcast.v2", bob.script("return window.rowcastDemo.client.socket.protocol"),
                    "Chromium negotiated coalesced frames; the rest of this test runs on them");
            bob.click(By.cssSelector("#conversations li[data-id='" + conversation + "']"));
            bob.await(d -> d.findElement(By.id("conversation-title")).getText().equals("Browser chat"),
                    "bob's page opens the conversation he was added to");

            alice.find(By.id("composer-body")).sendKeys("Hello Bob, live from the database");
            alice.find(By.id("post-button")).click();
            WebElement seen = bob.await(d -> message(d.findElements(By.cssSelector("#messages .message")),
                    "Hello Bob, live from the database"), "bob sees alice's message without reloading");
            String id = seen.getAttribute("data-id");

            alice.find(By.cssSelector("#messages .message[data-id='" + id + "'] button.edit")).click();
            alice.driver().switchTo().alert().sendKeys("Hello Bob, edited");
            alice.driver().switchTo().alert().accept();
            bob.await(d -> d.findElement(By.cssSelector("#messages .message[data-id='" + id + "'] .body")).getText()
                    .equals("Hello Bob, edited"), "bob sees the edit");

            alice.find(By.id("composer-body")).sendKeys("A second message");
            alice.find(By.id("post-button")).click();
            bob.await(d -> message(d.findElements(By.cssSelector("#messages .message")), "A second message"),
                    "bob sees the second message");
            Path shot = bob.screenshot("chat-bob");
            assertTrue(Files.size(shot) > 10_000, "a real screenshot: " + shot);

            alice.find(By.cssSelector("#messages .message[data-id='" + id + "'] button.delete")).click();
            alice.driver().switchTo().alert().accept(); // deleting asks first
            bob.await(d -> d.findElements(By.cssSelector("#messages .message[data-id='" + id + "']")).isEmpty(),
                    "bob sees the delete");
            assertEquals(1, bob.findAll(By.cssSelector("#messages .message")).size());
        }
    }

    @Test
    void should_reconnect_and_show_what_was_committed_meanwhile_without_duplicates() throws Exception {
        long conversation = api.createConversation("Reconnecting");
        api.postMessage(conversation, "before the drop");
        try (Browser alice = new Browser(base)) {
            alice.signIn("alice");
            alice.click(By.cssSelector("#conversations li[data-id='" + conversation + "']"));
            alice.await(d -> message(d.findElements(By.cssSelector("#messages .message")), "before the drop"),
                    "the snapshot shows the first message");

            alice.script("window.wire.push('-- drop'); window.states.length = 0;"
                    + "window.rowcastDemo.client.socket.close()"); // the network drops
            alice.await(d -> alice.states().contains("reconnecting"), "the page notices the drop");
            api.postMessage(conversation, "while away 1");
            api.postMessage(conversation, "while away 2");
            alice.await(d -> alice.states().contains("open"), "the page reconnects");
            alice.await(d -> bodies(alice).containsAll(List.of("before the drop", "while away 1", "while away 2")),
                    "the page shows what was committed while it was away");
            List<String> wire = alice.wire();
            List<String> afterDrop = wire.subList(wire.indexOf("-- drop"), wire.size());
            assertTrue(afterDrop.stream().anyMatch(f -> f.startsWith("> ") && f.contains("\"type\":\"subscribe\"")
                    && f.contains("\"from\":")), "resubscribed from its cursor: " + afterDrop);
            assertTrue(afterDrop.stream().noneMatch(f -> f.startsWith("< ") && (f.contains("\"type\":\"snapshot\"")
                    || f.contains("replay_unavailable"))), "resumed by replay, not by a fresh snapshot: " + afterDrop);
            api.postMessage(conversation, "after");
            alice.await(d -> bodies(alice).contains("after"), "and live ones after");

            List<String> ids = alice.findAll(By.cssSelector("#messages .message")).stream()
                    .map(li -> li.getAttribute("data-id")).toList();
            assertEquals(Set.copyOf(ids).size(), ids.size(), "no duplicates: " + ids);
            assertEquals(4, ids.size());
            alice.screenshot("chat-after-reconnect");
        }
    }

    @Test
    void should_show_who_is_here_who_is_typing_and_settle_or_roll_back_an_optimistic_message() throws Exception {
        long conversation = api.createConversation("Talking back");
        api.addMember(conversation, "bob");
        try (Browser alice = new Browser(base); Browser bob = new Browser(base)) {
            for (Browser browser : List.of(alice, bob)) {
                browser.signIn(browser == alice ? "alice" : "bob");
                browser.click(By.cssSelector("#conversations li[data-id='" + conversation + "']"));
            }
            alice.await(d -> d.findElement(By.id("presence")).getText().contains("bob"), "alice sees bob is here");
            bob.await(d -> d.findElement(By.id("presence")).getText().contains("alice"), "bob sees alice is here");

            bob.find(By.id("composer-body")).sendKeys("Hello Al");
            alice.await(d -> d.findElement(By.id("typing")).getText().equals("bob is typing…"),
                    "alice sees bob typing");

            // records whether a pending (optimistic) entry was ever shown on bob's page
            bob.script("window.sawPending = false; new MutationObserver(() => { if (document.querySelector("
                    + "'#messages .message.pending')) window.sawPending = true; }).observe("
                    + "document.getElementById('messages'), {childList: true, subtree: true});");
            bob.find(By.id("composer-body")).sendKeys("ice");
            bob.find(By.id("post-button")).click();
            alice.await(d -> message(d.findElements(By.cssSelector("#messages .message")), "Hello Alice"),
                    "alice gets bob's proposed message");
            bob.await(d -> d.findElements(By.cssSelector("#messages .message")).size() == 1
                    && d.findElements(By.cssSelector("#messages .message.pending")).isEmpty()
                    && message(d.findElements(By.cssSelector("#messages .message")), "Hello Alice") != null,
                    "bob's optimistic entry settles into the one real row");
            assertEquals(Boolean.TRUE, bob.script("return window.sawPending"), "it was shown at once, as pending");
            assertTrue(bob.wire().stream().anyMatch(f -> f.startsWith("> ") && f.contains("\"type\":\"propose\"")),
                    "sent as a proposal: " + bob.wire());
            alice.await(d -> d.findElement(By.id("typing")).getText().isEmpty(), "bob no longer types");

            // a proposal the server refuses (too long for the handler's validation) rolls back on bob's page
            bob.script("const box = document.getElementById('composer-body'); box.removeAttribute('maxlength');"
                    + "box.value = 'x'.repeat(4001);");
            bob.find(By.id("post-button")).click();
            bob.await(d -> d.findElement(By.id("app-error")).getText().startsWith("Not sent: The payload is not valid"),
                    "bob is told why it was not sent");
            bob.await(d -> d.findElements(By.cssSelector("#messages .message.pending")).isEmpty()
                    && d.findElement(By.id("composer-body")).getAttribute("value").length() == 4001,
                    "the optimistic entry is gone and the text is back in the box");
            assertEquals(1, bob.findAll(By.cssSelector("#messages .message")).size());
            bob.screenshot("chat-bob-refused");
        }
    }

    @Test
    void should_keep_conversation_and_member_lists_live_through_memberships() throws Exception {
        try (Browser alice = new Browser(base); Browser bob = new Browser(base)) {
            alice.signIn("alice");
            bob.signIn("bob");
            alice.find(By.id("new-conversation-title")).sendKeys("Live lists");
            alice.find(By.id("create-conversation")).click();
            alice.await(d -> d.findElement(By.id("conversation-title")).getText().equals("Live lists"), "created");
            String id = alice.find(By.cssSelector("#conversations li.active")).getAttribute("data-id");
            alice.find(By.id("member-name")).sendKeys("bob");
            alice.find(By.id("add-member")).click();

            bob.await(d -> !d.findElements(By.cssSelector("#conversations li[data-id='" + id + "']")).isEmpty(),
                    "bob's list shows the conversation he was added to, without signing in again");
            alice.await(d -> d.findElement(By.id("members")).getText().replace("\n", " ").contains("bob"),
                    "alice's member list shows bob");
            bob.click(By.cssSelector("#conversations li[data-id='" + id + "']"));
            bob.await(d -> d.findElement(By.id("members")).getText().contains("alice"), "bob sees the members");

            assertEquals(204, api.call("DELETE", "api/conversations/" + id + "/members/bob", null).status());
            bob.await(d -> d.findElements(By.cssSelector("#conversations li[data-id='" + id + "']")).isEmpty()
                    && d.findElement(By.id("app-error")).getText().contains("no longer a member"),
                    "bob's list drops it, and his page says why");
            alice.await(d -> !d.findElement(By.id("members")).getText().contains("bob"),
                    "alice's member list drops bob");
        }
    }

    @Test
    void should_keep_the_session_across_a_reload_and_show_only_the_login_when_signed_out() throws Exception {
        try (Browser alice = new Browser(base)) {
            for (String id : List.of("app", "composer", "new-conversation", "members-box")) {
                assertTrue(alice.findAll(By.id(id)).stream().noneMatch(WebElement::isDisplayed),
                        id + " is hidden while signed out");
            }
            alice.signIn("alice");
            alice.driver().navigate().refresh();
            alice.await(d -> "open".equals(d.findElement(By.id("state")).getAttribute("data-state"))
                    && d.findElement(By.id("whoami")).getText().equals("alice"), "still signed in after a reload");
            assertEquals("Live", alice.find(By.id("state")).getText(), "a word, not a close code");
            alice.find(By.id("logout")).click();
            alice.await(d -> d.findElement(By.id("login")).isDisplayed(), "signed out");
            alice.driver().navigate().refresh();
            alice.await(d -> d.findElement(By.id("login")).isDisplayed() && !d.findElement(By.id("app")).isDisplayed(),
                    "and stays signed out after a reload");
        }
    }

    private static WebElement message(List<WebElement> items, String body) {
        return items.stream().filter(li -> li.findElement(By.className("body")).getText().equals(body)).findFirst()
                .orElse(null);
    }

    private static List<String> bodies(Browser browser) {
        return browser.findAll(By.cssSelector("#messages .message .body")).stream().map(WebElement::getText)
                .collect(Collectors.toList());
    }
}
