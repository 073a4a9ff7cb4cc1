/*
 * Copyright 2026-present the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package org.ioaio.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard in a real browser: Debian's headless Chromium driven through chromedriver
 * ({@code .ci/run} installs both). Skipped, with the reason, only where they are missing or
 * cannot start.
 */
class DashboardBrowserTests extends AppTestSupport {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private WebDriver driver;
    private Path profile;

    @AfterEach
    void quit() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (profile != null) {
            try (var paths = Files.walk(profile)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private WebDriver browser() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed at " + CHROMIUM + " (Debian package chromium; .ci/run installs it)");
        assumeTrue(Files.isExecutable(CHROMEDRIVER),
                "chromedriver is not installed at " + CHROMEDRIVER + " (Debian package chromium-driver; .ci/run installs it)");
        profile = Files.createTempDirectory("aio-chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // As root, in a sandbox-less container, on a machine without a network: the flags it needs.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1400,1300");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            assumeTrue(false, "Chromium could not be started through chromedriver: " + e.getMessage().lines().findFirst().orElse(""));
        }
        return driver;
    }

    private String attr(String css, String name) {
        return driver.findElement(By.cssSelector(css)).getDomAttribute(name);
    }

    private JsonNode lastSample(String chart) {
        String last = attr("#" + chart, "data-last");
        return JSON.readTree(last == null || last.isEmpty() ? "{}" : last);
    }

    /** A user starts a copy from the dashboard, sees the charts move while it runs, cancels it, and the copy leaves nothing. */
    @Test
    void startsAJobSeesTheChartsMoveAndCancelsIt() throws IOException {
        WebDriver browser = browser();
        tree("browser-src", 4, 10, 8192);
        // The page re-renders the jobs table as jobs progress: look elements up afresh on each try.
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.ignoring(StaleElementReferenceException.class);

        browser.get("http://127.0.0.1:" + port + "/");
        wait.until(d -> Integer.parseInt(attr("#chart-threads", "data-samples") == null ? "0" : attr("#chart-threads", "data-samples")) >= 2);
        // The engine is idle: no thread is busy in the latest sample.
        wait.until(d -> lastSample("chart-threads").path("busy").asInt(-1) == 0);
        assertThat(browser.findElement(By.cssSelector("#listing")).getText()).contains("browser-src");

        gate.holdAfterOpens(6);
        try {
            browser.findElement(By.id("login-user")).sendKeys(USER);
            browser.findElement(By.id("login-password")).sendKeys(PASSWORD);
            new Select(browser.findElement(By.id("job-op"))).selectByValue("copy");
            WebElement src = browser.findElement(By.id("job-src"));
            src.clear();
            src.sendKeys("browser-src");
            browser.findElement(By.id("job-dst")).sendKeys("browser-dst");
            browser.findElement(By.id("job-start")).click();

            wait.until(d -> !d.findElements(By.cssSelector("#jobs tr[data-state=running]")).isEmpty());
            String id = wait.until(d -> d.findElement(By.cssSelector("#jobs tr[data-state=running]")).getDomAttribute("data-job-id"));
            // The charts move: held workers show as busy threads, executed requests as a rate.
            wait.until(d -> lastSample("chart-threads").path("busy").asInt() >= 1);
            wait.until(d -> Double.parseDouble(attr("#chart-rate", "data-max")) > 0);
            assertThat(browser.findElement(By.id("legend-threads")).getText()).contains("busy");
            screenshot(browser, "dashboard-running.png");

            wait.until(d -> {
                d.findElement(By.cssSelector("button.cancel[data-job-id='" + id + "']")).click();
                return true;
            });
            wait.until(d -> !d.findElements(By.cssSelector("#jobs tr[data-job-id='" + id + "'][data-state=cancelling]")).isEmpty()
                    || !d.findElements(By.cssSelector("#jobs tr[data-job-id='" + id + "'][data-state=cancelled]")).isEmpty());
            gate.release();
            wait.until(d -> !d.findElements(By.cssSelector("#jobs tr[data-job-id='" + id + "'][data-state=cancelled]")).isEmpty());
            screenshot(browser, "dashboard-cancelled.png");
        } finally {
            gate.release();
        }
        assertThat(DATA.resolve("browser-dst")).doesNotExist();
        assertThat(partials()).isEmpty();
    }

    /** The dashboard's own page never reaches outside the application: every script, style and request is same-origin. */
    @Test
    void loadsNothingFromOutside() throws IOException {
        WebDriver browser = browser();
        browser.get("http://127.0.0.1:" + port + "/");
        new WebDriverWait(browser, Duration.ofSeconds(60))
                .until(d -> attr("#chart-queue", "data-samples") != null);
        Object foreign = ((JavascriptExecutor) browser).executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith(location.origin));");
        assertThat((java.util.List<?>) foreign).isEmpty();
    }

    private static void screenshot(WebDriver browser, String name) throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path dir = Files.createDirectories(Path.of("target", "screenshots"));
        Files.copy(shot.toPath(), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
