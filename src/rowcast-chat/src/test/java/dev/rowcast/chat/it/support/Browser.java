package dev.rowcast.chat.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
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
        driver = new ChromeDriver(service, options);
        driver.get(base.toString());
    }

    public void signIn(String user) {
        new Select(find(By.id("login-user"))).selectByVisibleText(user);
        find(By.id("login-password")).sendKeys(user);
        find(By.id("login-button")).click();
        await(d -> d.findElement(By.id("state")).getText().equals("open"), "the socket opens after sign-in");
    }

    public WebElement find(By by) {
        return await(d -> {
            List<WebElement> found = d.findElements(by);
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        }, "element " + by);
    }

    public List<WebElement> findAll(By by) {
        return driver.findElements(by);
    }

    public <T> T await(Function<WebDriver, T> condition, String what) {
        return new WebDriverWait(driver, WAIT).withMessage(what).ignoring(RuntimeException.class).until(condition);
    }

    public Object script(String script) {
        return driver.executeScript(script);
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
