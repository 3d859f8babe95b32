"""What the browser checks share: headless Chromium as Debian packages it (chromium,
chromium-driver, python3-selenium), full-page screenshots at a chosen width, and the
console's complaints (errors, warnings, Content-Security-Policy violations)."""
import os

from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def chromium():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def screenshot(driver, path, width):
    """The whole page at `width` px (the window grows to the page's height, up to 6000)."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    driver.set_window_size(width, 900)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(max(height, 600), 6000))
    driver.save_screenshot(path)
    driver.set_window_size(width, 900)


def console_problems(driver, where):
    # The page's own error status (a 404 page for a bad link is the answer asked for) is
    # not a problem; a stylesheet or anything else the page loads failing is.
    own_status = driver.current_url + " - Failed to load resource: the server responded with a status of"
    problems = []
    for entry in driver.get_log("browser"):
        message = entry.get("message", "")
        if message.startswith(own_status):
            continue
        if entry.get("level") in ("SEVERE", "WARNING") or "Content Security Policy" in message:
            problems.append(f"{where}: {entry.get('level')}: {message}")
    return problems
