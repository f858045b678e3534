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

            bob.signIn("bob");
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
            alice.find(By.cssSelector("#conversations li[data-id='" + conversation + "']")).click();
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

    private static WebElement message(List<WebElement> items, String body) {
        return items.stream().filter(li -> li.findElement(By.className("body")).getText().equals(body)).findFirst()
                .orElse(null);
    }

    private static List<String> bodies(Browser browser) {
        return browser.findAll(By.cssSelector("#messages .message .body")).stream().map(WebElement::getText)
                .collect(Collectors.toList());
    }
}
