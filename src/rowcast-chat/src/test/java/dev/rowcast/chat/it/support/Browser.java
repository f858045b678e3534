package dev.rowcast.chat.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One real headless Chromium (Debian's chromium and chromedriver) showing the chat page. Nothing is downloaded:
 * the driver and the browser are the system's.
 */
public final class Browser implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final ChromeDriver driver;
    private final Path profile;

    public Browser(URL base) {
        try {
            profile = Files.createTempDirectory("rowcast-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("rowcast.it.chromium", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1280,860", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(System.getProperty("rowcast.it.chromedriver", "/usr/bin/chromedriver"))
                        .toFile())
                .build();
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        driver = new ChromeDriver(service, options);
        driver.get(base.toString());
    }

    public void signIn(String user) {
        new Select(find(By.id("login-user"))).selectByVisibleText(user);
        find(By.id("login-password")).sendKeys(user);
        find(By.id("login-button")).click();
        await(d -> "open".equals(d.findElement(By.id("state")).getAttribute("data-state")),
                "the socket opens after sign-in");
        // keeps the frames both ways, for diagnostics()
        script("const c = window.rowcastDemo.client, read = c.onFrame.bind(c); window.wire = [];"
                + "window.states = []; c.on('state', (s) => window.states.push(s.state));"
                + "c.onFrame = (t) => { window.wire.push('< ' + t); return read(t); };"
                + "const send = WebSocket.prototype.send;"
                + "WebSocket.prototype.send = function (t) { window.wire.push('> ' + t); return send.call(this, t); };");
    }

    public WebElement find(By by) {
        return await(d -> {
            List<WebElement> found = d.findElements(by);
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        }, "element " + by);
    }

    /**
     * Clicks the element, finding it again if the page re-rendered it between finding and clicking: the
     * conversation list is live, so its items can be replaced at any moment.
     */
    public void click(By by) {
        await(d -> {
            WebElement element = d.findElement(by);
            if (!element.isDisplayed()) {
                return null;
            }
            element.click(); // a stale element throws, and the wait tries again
            return Boolean.TRUE;
        }, "click " + by);
    }

    public List<WebElement> findAll(By by) {
        return driver.findElements(by);
    }

    public <T> T await(Function<WebDriver, T> condition, String what) {
        try {
            return new WebDriverWait(driver, WAIT).withMessage(what).ignoring(RuntimeException.class)
                    .until(condition);
        } catch (TimeoutException e) {
            throw new AssertionError(what + ": timed out.\n" + diagnostics(), e);
        }
    }

    /** What the page showed and logged: a failed wait in CI is diagnosed from this alone. */
    public String diagnostics() {
        StringBuilder out = new StringBuilder();
        try {
            out.append("page state: ").append(driver.executeScript("return JSON.stringify({"
                    + "state: document.getElementById('state').textContent,"
                    + "error: document.getElementById('app-error').textContent,"
                    + "title: document.getElementById('conversation-title').textContent,"
                    + "messages: [...document.querySelectorAll('#messages .message')].map(li => li.dataset.id + ':'"
                    + " + li.querySelector('.body').textContent)})")).append('\n');
            out.append("wire (last 60): ").append(driver.executeScript(
                    "return (window.wire || []).slice(-60).join('\\n')")).append('\n');
            driver.manage().logs().get(LogType.BROWSER)
                    .forEach(entry -> out.append("console ").append(entry.getLevel()).append(' ')
                            .append(entry.getMessage()).append('\n'));
        } catch (RuntimeException e) {
            out.append("(diagnostics unavailable: ").append(e).append(")\n");
        }
        return out.toString();
    }

    public Object script(String script) {
        return driver.executeScript(script);
    }

    /** The frames sent ({@code "> "}) and received ({@code "< "}) since sign-in, and markers a test pushed. */
    @SuppressWarnings("unchecked")
    public List<String> wire() {
        return (List<String>) driver.executeScript("return window.wire.slice()");
    }

    /** The connection states the client went through since sign-in. */
    @SuppressWarnings("unchecked")
    public List<String> states() {
        return (List<String>) driver.executeScript("return window.states.slice()");
    }

    public WebDriver driver() {
        return driver;
    }

    /** Saves a PNG of the page under target/screenshots. */
    public Path screenshot(String name) {
        try {
            Path file = Path.of("target", "screenshots", name + ".png");
            Files.createDirectories(file.getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
