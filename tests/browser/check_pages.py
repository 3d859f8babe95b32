#!/usr/bin/env python3
"""Loads billwatch's pages in real headless Chromium (Debian's chromium and chromium-driver,
python3-selenium): each must load with no console error and no Content-Security-Policy
violation; screenshots at 400 px and 1280 px wide are saved for a person to look at.

usage: check_pages.py BASE_URL OUT_DIR PATH...
"""
import os
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def main():
    base, out_dir, paths = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3:]
    os.makedirs(out_dir, exist_ok=True)
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    failures = []
    try:
        for path in paths:
            for width in (400, 1280):
                driver.set_window_size(width, 900)
                driver.get(base + path)
                height = driver.execute_script("return document.documentElement.scrollHeight")
                driver.set_window_size(width, min(max(height, 600), 6000))
                name = path.strip("/").replace("/", "_").replace("?", "_").replace("&", "_") or "home"
                shot = os.path.join(out_dir, f"{name}-{width}.png")
                driver.save_screenshot(shot)
                for entry in driver.get_log("browser"):
                    message = entry.get("message", "")
                    if entry.get("level") in ("SEVERE", "WARNING") or "Content Security Policy" in message:
                        failures.append(f"{path} at {width}px: {entry.get('level')}: {message}")
                print(f"ok {path} at {width}px -> {shot}")
    finally:
        driver.quit()
    for f in failures:
        print("FAIL", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
