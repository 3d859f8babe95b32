#!/usr/bin/env python3
"""Loads billwatch's pages in real headless Chromium: each must load with no console error
and no Content-Security-Policy violation; screenshots at 400 px and 1280 px wide are saved
for a person to look at.

usage: check_pages.py BASE_URL OUT_DIR PATH...
"""
import os
import sys

from browser import chromium, console_problems, screenshot


def main():
    base, out_dir, paths = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3:]
    driver = chromium()
    failures = []
    try:
        for path in paths:
            for width in (400, 1280):
                driver.set_window_size(width, 900)
                driver.get(base + path)
                name = path.strip("/").replace("/", "_").replace("?", "_").replace("&", "_") or "home"
                shot = os.path.join(out_dir, f"{name}-{width}.png")
                screenshot(driver, shot, width)
                failures += console_problems(driver, f"{path} at {width}px")
                print(f"ok {path} at {width}px -> {shot}")
    finally:
        driver.quit()
    for f in failures:
        print("FAIL", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
