#!/usr/bin/env python3
"""A subscriber's whole journey in real headless Chromium, against `billwatch serve` and
`billwatch run` with a loopback SMTP server (subscriber_journey.sh starts them):

  fill the subscribe form -> read the confirmation mail -> open its link, confirm ->
  a WA HB 1795 change is run -> the alert arrives -> open the manage link from the alert,
  change the frequency -> unsubscribe with the RFC 8058 one-click POST exactly as a mail
  provider sends it (curl -X POST -d 'List-Unsubscribe=One-Click' to the header's URL) ->
  the next change sends the parent nothing (while a control subscriber still gets it).

Screenshots (400 px, a phone) of every page on the way, and the mails as received, go to
OUT_DIR. Any console error or CSP violation fails the journey.

usage: subscriber_journey.py BILLWATCH CONFIG SITE_URL MAIL_DIR PAGE_FILE FIXTURES OUT_DIR
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from browser import chromium, console_problems, screenshot

PARENT = "parent@example.org"
CONTROL = "researcher@example.org"


class Journey:
    def __init__(self, argv):
        (self.billwatch, self.config, self.site, self.mail_dir, self.page_file, self.fixtures,
         self.out) = argv
        self.out = os.path.abspath(self.out)
        self.site = self.site.rstrip("/")
        os.makedirs(self.out, exist_ok=True)
        self.driver = chromium()
        self.problems = []
        self.step_number = 0

    # --- what the journey uses ---

    def bw(self, *args):
        result = subprocess.run([self.billwatch, "--config", self.config, *args],
                                capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise AssertionError(f"billwatch {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    def mails(self, to=None):
        found = []
        for path in sorted(glob.glob(os.path.join(self.mail_dir, "json", "*.json"))):
            with open(path, encoding="utf-8") as f:
                message = json.load(f)
            if to is None or to in message["rcpt_tos"]:
                found.append(message)
        return found

    def wait_for_mail(self, to, count, what):
        for _ in range(100):
            received = self.mails(to)
            if len(received) >= count:
                return received[count - 1]
            time.sleep(0.1)
        raise AssertionError(f"no {what} arrived for {to} (has {len(self.mails(to))} mails)")

    def save_mail(self, message, name):
        with open(os.path.join(self.out, name + ".txt"), "w", encoding="utf-8") as f:
            for header in ("From", "To", "Subject", "List-Unsubscribe", "List-Unsubscribe-Post"):
                if message["headers"].get(header):
                    f.write(f"{header}: {message['headers'][header]}\n")
            f.write("\n" + message["text"])
        # The HTML part as a mail program would show it, for a person to look at.
        html_path = os.path.join(self.out, name + ".html")
        with open(html_path, "w", encoding="utf-8") as f:
            f.write(message["html"] or "")
        self.driver.get("file://" + html_path)
        screenshot(self.driver, os.path.join(self.out, name + ".png"), 400)

    def link(self, text, kind):
        match = re.search(re.escape(self.site) + "/" + kind + r"/[0-9a-f-]+", text)
        if not match:
            raise AssertionError(f"no {kind} link in:\n{text}")
        return match.group(0)

    def open(self, url, name):
        self.driver.get(url)
        self.shot(name)

    def shot(self, name):
        self.step_number += 1
        screenshot(self.driver, os.path.join(self.out, f"{self.step_number:02d}-{name}.png"), 400)
        self.problems += console_problems(self.driver, name)

    def page_says(self, words):
        body = self.driver.find_element(By.TAG_NAME, "body").text
        if words not in body:
            raise AssertionError(f"the page does not say {words!r}:\n{body}")
        if PARENT in body:
            raise AssertionError(f"the page shows the address:\n{body}")

    def publish(self, fixture, extra=""):
        with open(os.path.join(self.fixtures, fixture), encoding="utf-8") as f:
            text = f.read()
        with open(self.page_file + ".new", "w", encoding="utf-8") as f:
            f.write(text + extra)
        os.replace(self.page_file + ".new", self.page_file)

    # --- the journey ---

    def run(self):
        d = self.driver
        self.open(self.site + "/subscribe", "subscribe")
        d.find_element(By.CSS_SELECTOR, "details summary").click()  # "Let me choose"
        self.shot("subscribe-choices")
        d.find_element(By.CSS_SELECTOR, "details summary").click()
        d.find_element(By.NAME, "email").send_keys(PARENT)
        d.find_element(By.CSS_SELECTOR, "input[name=preset][value=state]").click()
        Select(d.find_element(By.NAME, "state")).select_by_value("WA")
        self.shot("subscribe-filled")
        d.find_element(By.CSS_SELECTOR, "form.account button").click()
        self.shot("check-your-mail")
        self.page_says("Check your mail")

        confirmation = self.wait_for_mail(PARENT, 1, "confirmation mail")
        assert "Please confirm" in confirmation["headers"]["Subject"], confirmation["headers"]
        assert "List-Unsubscribe" not in confirmation["headers"], "nothing is subscribed yet"
        self.save_mail(confirmation, "mail-1-confirmation")
        self.open(self.link(confirmation["text"], "confirm"), "confirm")
        self.page_says("Confirm your alerts")
        d.find_element(By.CSS_SELECTOR, "main form button").click()
        self.shot("confirmed")
        self.page_says("You are subscribed")
        self.page_says("Everything about restraint and seclusion in Washington")
        welcome = self.wait_for_mail(PARENT, 2, "welcome mail")
        assert "You are subscribed" in welcome["headers"]["Subject"], welcome["headers"]
        self.save_mail(welcome, "mail-2-welcome")

        # The legislature publishes the Substitute bill; the daily run finds it.
        self.publish("wa_2025-26_HB1795_text_S_substitute.md")
        self.bw("run")
        alert = self.wait_for_mail(PARENT, 3, "alert for the Substitute")
        assert "WA" in alert["headers"]["Subject"], alert["headers"]
        self.save_mail(alert, "mail-3-alert")

        self.open(self.link(alert["text"], "manage"), "manage")
        self.page_says("Your alerts")
        d.find_element(By.CSS_SELECTOR, "input[name=frequency][value=daily]").click()
        d.find_element(By.XPATH, "//input[@name='do'][@value='frequency']/..//button").click()
        self.shot("manage-saved")
        self.page_says("Saved: how often you receive alerts.")
        listed = json.loads(self.bw("subscribers", PARENT, "--json"))
        assert listed[0]["frequency"] == "daily", listed

        # RFC 8058, as a mail provider does it: a POST to the header's https (here loopback)
        # URL with List-Unsubscribe=One-Click, no cookie, no form token.
        header = alert["headers"]["List-Unsubscribe"]
        url = re.search(r"<(http[^>]+)>", header).group(1)
        assert alert["headers"].get("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
        curl = subprocess.run(["curl", "-sS", "-o", os.path.join(self.out, "one-click.html"),
                               "-w", "%{http_code}", "-X", "POST", "-d",
                               "List-Unsubscribe=One-Click", url],
                              capture_output=True, text=True, timeout=30)
        assert curl.stdout == "200", f"one-click POST answered {curl.stdout} {curl.stderr}"
        with open(os.path.join(self.out, "one-click.html"), encoding="utf-8") as f:
            assert "You are unsubscribed" in f.read()

        # The next change: the control subscriber hears of it, the parent does not.
        parent_before = len(self.mails(PARENT))
        control_before = len(self.mails(CONTROL))
        self.publish("wa_2025-26_HB1795_text_S_substitute.md",
                     "\n\nNEW SECTION. Sec. 99. A school may not place a student in an "
                     "isolation room.\n")
        self.bw("run")
        self.wait_for_mail(CONTROL, control_before + 1, "control alert for the third text")
        time.sleep(0.5)
        assert len(self.mails(PARENT)) == parent_before, "an unsubscribed parent got mail"
        subscribers = json.loads(self.bw("subscribers", "--json"))
        assert PARENT not in [s["email"] for s in subscribers], subscribers
        print(f"journey ok: {self.step_number} pages, mails in {self.out}")

    def close(self):
        self.driver.quit()


def main():
    journey = Journey(sys.argv[1:])
    try:
        journey.run()
    finally:
        journey.close()
    for problem in journey.problems:
        print("FAIL", problem)
    return 1 if journey.problems else 0


if __name__ == "__main__":
    sys.exit(main())
