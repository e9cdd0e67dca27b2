package dev.taskhub.testing;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

/**
 * Debian's headless Chromium driven through its own chromedriver ({@code apt-get install chromium chromium-driver};
 * {@code .ci/run} installs them). Both paths are given, so Selenium Manager never runs and nothing is downloaded.
 * Each browser gets a fresh profile; console messages are kept so a test can assert the page logged no error.
 */
public final class Chromium implements AutoCloseable {
  private static final Path BINARY = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
  private static final Path DRIVER = Path.of(System.getProperty("chromium.driver", "/usr/bin/chromedriver"));

  private final ChromeDriver driver;
  private final List<LogEntry> console = new ArrayList<>();

  private Chromium(ChromeDriver driver) {
    this.driver = driver;
  }

  /** Starts a browser with a window of the given size and a fresh profile under {@code profileDir}. */
  public static Chromium start(Path profileDir, int width, int height) throws IOException {
    if (!Files.isExecutable(BINARY) || !Files.isExecutable(DRIVER)) {
      throw new IllegalStateException("the browser tests need " + BINARY + " and " + DRIVER
          + ": apt-get install -y chromium chromium-driver (.ci/run does it when they are missing)");
    }
    System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, DRIVER.toString());
    ChromeOptions options = new ChromeOptions()
        .setBinary(BINARY.toFile())
        .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-extensions", "--hide-scrollbars", "--user-data-dir=" + Files.createDirectories(profileDir),
            "--window-size=" + width + "," + height);
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort()
        .build();
    return new Chromium(new ChromeDriver(service, options));
  }

  public void open(String url) {
    driver.get(url);
  }

  public List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** The first element matching, or null. */
  public WebElement find(String css) {
    List<WebElement> found = all(css);
    return found.isEmpty() ? null : found.get(0);
  }

  /** The text of the first element matching, or null when there is none (read in one step: the page redraws often). */
  public String text(String css) {
    return script("const e = document.querySelector(arguments[0]); return e ? e.textContent.trim() : null;", css);
  }

  /** An attribute of the first element matching, or null. */
  public String attribute(String css, String name) {
    return script("const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;", css, name);
  }

  @SuppressWarnings("unchecked")
  public <T> T script(String js, Object... args) {
    return (T) ((JavascriptExecutor) driver).executeScript(js, args);
  }

  /** Console messages at error level (SEVERE) since the browser started. */
  public List<String> consoleErrors() {
    console.addAll(driver.manage().logs().get(LogType.BROWSER).getAll());
    return console.stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(e -> e.getLevel() + " " + e.getMessage()).toList();
  }

  /** Saves what the window shows as a PNG. */
  public Path screenshot(Path file) throws IOException {
    File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.copy(shot.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    return file;
  }

  @Override
  public void close() {
    driver.quit();
  }
}
