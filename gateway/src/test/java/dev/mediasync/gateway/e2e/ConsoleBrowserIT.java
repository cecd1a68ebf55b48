package dev.mediasync.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mediasync.local.testing.TestBroker;
import dev.mediasync.local.testing.TestKafka;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The device console in a real Chromium (Debian's {@code chromium} and {@code chromium-driver}; .ci/run
 * installs them, elsewhere the test is skipped and says why): two devices of one user side by side, a
 * title added on one appears on the other, a handoff plays on the target, a closed device goes offline
 * on its sibling. Screenshots go to {@code target/console-*.png}.
 */
@TestKafka(partitions = 4)
class ConsoleBrowserIT {

    private static TestBroker kafka;

    private static final Path CHROMEDRIVER = Path.of(System.getProperty("sync.chromedriver", "/usr/bin/chromedriver"));
    private static final Path CHROMIUM = Path.of(System.getProperty("sync.chromium", "/usr/bin/chromium"));
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static Platform platform;
    private static int gateway;
    private static ChromeDriver browser;

    @BeforeAll
    static void start(TestBroker broker) throws IOException {
        boolean chromium = Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
        String missing = "no Chromium here: install Debian's chromium and chromium-driver to run the console test";
        if (System.getenv("SYNC_REQUIRE_CHROMIUM") != null) {
            assertThat(chromium).as(missing + " (SYNC_REQUIRE_CHROMIUM is set, as .ci/run does)").isTrue();
        }
        assumeTrue(chromium, missing);
        kafka = broker;
        platform = new Platform(broker.bootstrapServers());
        gateway = platform.startGateway("--sync.gateway.console=true");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless",
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1500,900",
                "--user-data-dir=" + Files.createTempDirectory("console-chromium"));
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .build(), options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void theRootLeadsToTheConsoleWhichCarriesTheJavaScriptClient() {
        HttpResponse<String> root = Platform.get(gateway, "/");
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValue("/console/");
        assertThat(Platform.get(gateway, "/console/sync-client.js").body()).contains("export class SyncClient");
        assertThat(Platform.get(gateway, "/favicon.ico").statusCode()).isEqualTo(200);
    }

    @Test
    void twoDevicesOfOneUserStayInSyncInTheConsole() throws IOException {
        browser.get("http://localhost:" + gateway + "/console/?user=console-it&devices=tv-1:tv,phone-1:phone");
        // the console re-renders a list on every change: an element found a moment ago may be gone
        WebDriverWait wait = (WebDriverWait) new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class);
        wait.until(d -> status("tv-1").equals("open") && status("phone-1").equals("open"));
        wait.until(d -> sibling("tv-1", "phone-1") != null && "true".equals(sibling("tv-1", "phone-1").getDomAttribute("data-online")));

        // the forms' patterns compile in the browser (an invalid one is ignored: "a b" would pass)
        assertThat((Boolean) ((JavascriptExecutor) browser).executeScript("""
                return [...document.querySelectorAll('input[pattern]')].every((input) => {
                  const before = input.value; input.value = 'a b'; const refused = !input.checkValidity();
                  input.value = before; return refused; });""")).isTrue();
        // the phone plays nothing yet: there is nothing to hand off
        assertThat(sibling("phone-1", "tv-1").findElement(By.cssSelector("[data-testid=handoff]")).isEnabled()).isFalse();

        // a title added on the TV appears on the phone
        card("tv-1").findElement(By.cssSelector("[data-testid=watchlist-input]")).sendKeys("tmdb:550");
        click(wait, () -> card("tv-1").findElement(By.cssSelector("[data-testid=watchlist-add]")));
        wait.until(d -> !card("phone-1").findElements(By.cssSelector("[data-testid=watchlist-item][data-content='tmdb:550']")).isEmpty());

        // the phone watches, then hands playback off to the TV: the TV is told to play at the resume position
        WebElement position = card("phone-1").findElement(By.cssSelector("[data-testid=progress-position]"));
        position.clear();
        position.sendKeys("1800");
        card("phone-1").findElement(By.cssSelector("[data-testid=progress-content]")).sendKeys("tmdb:550");
        click(wait, () -> card("phone-1").findElement(By.cssSelector("[data-testid=progress-report]")));
        wait.until(d -> !card("tv-1").findElements(By.cssSelector("[data-testid=progress-item][data-content='tmdb:550']")).isEmpty());
        wait.until(d -> sibling("phone-1", "tv-1").findElement(By.cssSelector("[data-testid=handoff]")).getText()
                .equals("hand off tmdb:550"));
        click(wait, () -> sibling("phone-1", "tv-1").findElement(By.cssSelector("[data-testid=handoff]")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("[data-device='tv-1'] [data-testid=commands]"), "play tmdb:550"));
        assertThat(card("tv-1").findElement(By.cssSelector("[data-testid=commands]")).getText())
                .contains("play tmdb:550 @ 179", "from phone-1"); // resume a few seconds back from 1800 s
        screenshot("console-handoff.png");

        // the phone disconnects: the TV sees it offline
        click(wait, () -> card("phone-1").findElement(By.cssSelector("[data-testid=disconnect]")));
        wait.until(d -> "false".equals(sibling("tv-1", "phone-1").getDomAttribute("data-online")));
        screenshot("console-offline.png");
    }

    private static void click(WebDriverWait wait, Supplier<WebElement> element) {
        wait.until(d -> {
            element.get().click();
            return true;
        });
    }

    private static WebElement card(String deviceId) {
        return browser.findElement(By.cssSelector("section.device[data-device='" + deviceId + "']"));
    }

    private static String status(String deviceId) {
        return card(deviceId).findElement(By.cssSelector("[data-testid=status]")).getText();
    }

    /** The sibling as the given device's card lists it, or null. */
    private static WebElement sibling(String deviceId, String siblingId) {
        return card(deviceId).findElements(By.cssSelector("[data-testid=sibling][data-device='" + siblingId + "']"))
                .stream().findFirst().orElse(null);
    }

    private static void screenshot(String name) throws IOException {
        Path target = Path.of("target", name);
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
